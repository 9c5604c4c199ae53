import type { Page } from '../../core/ports.js';
import { encodeScopedCursor } from '../common/page-cursor.js';

/**
 * The page of `rows`, read with `LIMIT limit + 1` so the extra row tells whether another page
 * follows without a count: the first `limit` rows become the items, and when more follow, the
 * cursor (of listing `scope`) holds the position of the last row kept.
 */
export function pageOfRows<R, T>(
  rows: readonly R[],
  limit: number,
  scope: string,
  item: (row: R) => T,
  position: (last: R) => Readonly<Record<string, string | number>>,
): Page<T> {
  const items = rows.slice(0, limit).map(item);
  const last = rows[limit - 1];
  return rows.length > limit && last
    ? { items, cursor: encodeScopedCursor(scope, position(last)) }
    : { items };
}
