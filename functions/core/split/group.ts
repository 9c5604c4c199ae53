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
  const { keys, classOf } = classify(col, 'a group key');
  return groupSplitOf(classOf, keys.length, ratios, seed);
}

/**
 * group on groups already numbered: `groupOf[i]` is row i's group (0 … groups − 1, in key
 * order). Works on sizes and one split per group, not on per-group row lists, so a column of
 * millions of distinct ids costs 5 bytes a group here rather than an array each.
 */
export function groupSplitOf(groupOf: Uint32Array, groups: number, ratios: Ratios, seed: number): SplitOfRow {
  const sizes = new Uint32Array(groups);
  for (const g of groupOf) sizes[g]!++;
  const order = fisherYates(iota(groups), streamFor(seed, 'group'));
  const deficit = splitCounts(groupOf.length, ratios);
  const eligible = [ratios.train > 0, ratios.validation > 0, ratios.test > 0];
  const splitOfGroup = new Uint8Array(groups);
  for (const g of order) {
    let best = -1;
    for (let k = 0; k < 3; k++) {
      if (eligible[k] && (best < 0 || deficit[k]! > deficit[best]!)) best = k;
    }
    deficit[best]! -= sizes[g]!;
    splitOfGroup[g] = best;
  }
  const splitOf = new Uint8Array(groupOf.length);
  for (let i = 0; i < groupOf.length; i++) splitOf[i] = splitOfGroup[groupOf[i]!]!;
  return splitOf;
}
