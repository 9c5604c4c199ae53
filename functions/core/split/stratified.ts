import type { FlatColumn } from '../arrow/flat-column.js';
import { classify } from './keys.js';
import { fisherYates, streamFor } from './prng.js';
import { allocateClasses } from './stratified-allocation.js';
import type { Ratios, SplitOfRow } from './types.js';

/**
 * stratified: per-class counts from allocateClasses; within each class (in key order) the
 * rows, in source order, are shuffled with the one "stratified" stream, and the first counts go
 * to train, the next to validation, the rest to test. Null is a class of its own.
 */
export function assignStratified(col: FlatColumn, ratios: Ratios, seed: number): SplitOfRow {
  return stratifiedSplitOf(classify(col, 'a stratification column').rows, col.length, ratios, seed);
}

/** stratified on classes already formed: `rows[c]` lists class c's rows (of n) in source order. */
export function stratifiedSplitOf(
  rows: readonly Uint32Array[],
  n: number,
  ratios: Ratios,
  seed: number,
): SplitOfRow {
  const counts = allocateClasses(
    rows.map((r) => r.length),
    ratios,
  );
  const prng = streamFor(seed, 'stratified');
  const splitOf = new Uint8Array(n);
  rows.forEach((members, c) => {
    const perm = fisherYates(members.slice(), prng);
    const [train, validation] = counts[c]!;
    perm.forEach((row, p) => {
      splitOf[row] = p < train ? 0 : p < train + validation ? 1 : 2;
    });
  });
  return splitOf;
}
