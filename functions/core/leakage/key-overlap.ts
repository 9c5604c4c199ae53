import { SPLIT_NAMES } from '../../../schemas/common.js';
import { type KeyLeakage, MAX_LEAKAGE_EXAMPLES } from '../../../schemas/leakage.js';
import type { SplitSpec } from '../../../schemas/spec.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { keyReader } from '../split/keys.js';
import type { SplitIndices } from '../split/types.js';

/** The column whose values a strategy keeps together: groupBy, or hash's key; none otherwise. */
export function keyColumnOf(spec: SplitSpec): string | undefined {
  switch (spec.strategy) {
    case 'group':
    case 'stratified-group':
      return spec.groupBy;
    case 'hash':
      return spec.key ?? spec.groupBy;
    default:
      return undefined;
  }
}

/**
 * Key values (§2.3 keys) present in more than one split. Group strategies keep every group
 * whole, so this is 0 for them by construction; the report states it rather than assume it.
 */
export function keyOverlap(column: FlatColumn, indices: SplitIndices): KeyLeakage {
  const key = keyReader(column, 'a leakage key');
  const seen = new Map<string, number>();
  SPLIT_NAMES.forEach((name, s) => {
    const bit = 1 << s;
    for (const row of indices[name]) {
      const k = key(row);
      seen.set(k, (seen.get(k) ?? 0) | bit);
    }
  });
  const shared = [...seen].filter(([, bits]) => bits !== 1 && bits !== 2 && bits !== 4);
  shared.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    column: column.name,
    sharedKeys: shared.length,
    examples: shared.slice(0, MAX_LEAKAGE_EXAMPLES).map(([k, bits]) => ({
      key: Buffer.from(k, 'latin1').toString('hex'),
      splits: SPLIT_NAMES.filter((_, s) => (bits & (1 << s)) !== 0),
    })),
  };
}
