/**
 * Opaque page cursors shared by both lineage backends: base64url JSON of whatever position
 * the backend needs. Clients can't forge a meaningful one, but a garbled one must be a 400,
 * not a crash, so decoding validates shape.
 */
import { ValidationError } from '../../core/errors.js';
import type { PageRequest } from '../../core/ports.js';

/** The largest page either backend serves; bigger requests are clamped, not refused. */
export const MAX_PAGE_LIMIT = 1000;

export function encodeCursor(position: Readonly<Record<string, string | number>>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes a cursor whose fields must all be strings or numbers, as `expected` names. */
export function decodeCursor<K extends string>(
  cursor: string,
  expected: Readonly<Record<K, 'string' | 'number'>>,
): Record<K, string | number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalidCursor(cursor, cause);
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor(cursor);
  const record = parsed as Record<string, unknown>;
  for (const [field, type] of Object.entries(expected)) {
    if (typeof record[field] !== type) throw invalidCursor(cursor);
  }
  return record as Record<K, string | number>;
}

/**
 * A cursor tied to the listing that issued it (`scope`), so one taken from another listing
 * is refused instead of silently skipping to an unrelated position.
 */
export function encodeScopedCursor(
  scope: string,
  position: Readonly<Record<string, string | number>>,
): string {
  return encodeCursor({ ...position, scope });
}

export function decodeScopedCursor<K extends string>(
  cursor: string,
  scope: string,
  expected: Readonly<Record<K, 'string' | 'number'>>,
): Record<K, string | number> {
  const position = decodeCursor(cursor, { ...expected, scope: 'string' });
  if (position.scope !== scope) {
    throw new ValidationError(
      'PAGE.INVALID_CURSOR',
      `page cursor ${JSON.stringify(cursor)} belongs to another listing`,
    );
  }
  return position;
}

/** Checks the page size once for both backends so they refuse the same inputs. */
export function pageLimit(page: PageRequest): number {
  if (!Number.isInteger(page.limit) || page.limit < 1) {
    throw new ValidationError(
      'PAGE.INVALID_LIMIT',
      `page limit must be a positive integer, got ${page.limit}`,
    );
  }
  return Math.min(page.limit, MAX_PAGE_LIMIT);
}

function invalidCursor(cursor: string, cause?: unknown): ValidationError {
  return new ValidationError('PAGE.INVALID_CURSOR', `page cursor ${JSON.stringify(cursor)} is not valid`, {
    cause,
  });
}
