import type { FlatColumn } from '../arrow/flat-column.js';
import { splitCounts } from './counts.js';
import { classify } from './keys.js';
import { fisherYates, streamFor } from './prng.js';
import { iota } from './random.js';
import type { Ratios, SplitOfRow } from './types.js';

/**
 * group: groups in key order, shuffled with the "group" stream, then each goes whole to the
 * positive-ratio split whose row deficit (target count minus rows so far) is largest, ties to
 * the earlier split. Targets are the random strategy's counts.
 */
export function assignGroup(col: FlatColumn, ratios: Ratios, seed: number): SplitOfRow {
  return groupSplitOf(classify(col, 'a group key').rows, col.length, ratios, seed);
}

/** group on groups already formed: `rows[g]` lists group g's rows (of n), groups in key order. */
export function groupSplitOf(
  rows: readonly Uint32Array[],
  n: number,
  ratios: Ratios,
  seed: number,
): SplitOfRow {
  const order = fisherYates(iota(rows.length), streamFor(seed, 'group'));
  const deficit = splitCounts(n, ratios);
  const eligible = [ratios.train > 0, ratios.validation > 0, ratios.test > 0];
  const splitOf = new Uint8Array(n);
  for (const g of order) {
    let best = -1;
    for (let k = 0; k < 3; k++) {
      if (eligible[k] && (best < 0 || deficit[k]! > deficit[best]!)) best = k;
    }
    const members = rows[g]!;
    deficit[best]! -= members.length;
    for (const row of members) splitOf[row] = best;
  }
  return splitOf;
}
