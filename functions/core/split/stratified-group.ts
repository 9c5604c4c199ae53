import type { FlatColumn } from '../arrow/flat-column.js';
import { DatasetError } from '../errors.js';
import { splitCounts } from './counts.js';
import { type Classes, classify } from './keys.js';
import { fisherYates, streamFor } from './prng.js';
import { iota } from './random.js';
import { allocateClasses } from './stratified-allocation.js';
import type { Ratios, SplitOfRow } from './types.js';

/** Most classes a stratified-group split takes: the manifest lists one share entry per class. */
export const MAX_STRATIFIED_GROUP_CLASSES = 256;

/** Below this many rows every cost is under 3·n² < 2^53, so doubles add and compare exactly. */
const EXACT_NUMBER_ROWS = 2 ** 25;

/** What the assignment reached: class keys in key order and rows of each class per split. */
export interface ClassCounts {
  /** Canonical class keys (latin1 byte strings, §2.3) in bytewise order. */
  readonly keys: readonly string[];
  /** counts[c][k]: rows of class c that went to split k. */
  readonly counts: readonly [number, number, number][];
}

/**
 * One group's rows per class, as parallel lists of the classes it holds (ascending) and their
 * counts: a group usually holds few classes, so the cost loop touches only those.
 */
function groupProfiles(groupRows: readonly Uint32Array[], classOf: Uint32Array, classes: number) {
  const scratch = new Uint32Array(classes);
  return groupRows.map((members) => {
    for (const row of members) scratch[classOf[row]!]!++;
    const held = [...new Set(Array.from(members, (row) => classOf[row]!))].sort((a, b) => a - b);
    const count = held.map((c) => scratch[c]!);
    for (const c of held) scratch[c] = 0;
    return { held, count, size: members.length };
  });
}

/**
 * The increase in Σ_c (a_ck − t_ck)² if the group joins split k: Σ_c h_c·(2(a_ck − t_ck) + h_c).
 * Exact: plain doubles under 2^25 rows, bigint above.
 */
function costOf(
  held: number[],
  count: number[],
  gap: Float64Array,
  k: number,
  exact: boolean,
): number | bigint {
  if (exact) {
    let cost = 0;
    for (let i = 0; i < held.length; i++) cost += count[i]! * (2 * gap[held[i]! * 3 + k]! + count[i]!);
    return cost;
  }
  let cost = 0n;
  for (let i = 0; i < held.length; i++) {
    const h = BigInt(count[i]!);
    cost += h * (2n * BigInt(gap[held[i]! * 3 + k]!) + h);
  }
  return cost;
}

/**
 * stratified-group (SPLIT-SPEC.md §2.4): groups stay whole while each split's class counts
 * approach the stratified strategy's per-class targets. Groups are shuffled with the
 * "stratified-group" stream, stably sorted by size descending, and each goes to the
 * positive-ratio split where it least increases the squared distance between that split's class
 * counts and their targets; ties to the larger row deficit, then the earlier split.
 */
export function assignStratifiedGroup(
  classCol: FlatColumn,
  groupCol: FlatColumn,
  ratios: Ratios,
  seed: number,
): { splitOf: SplitOfRow; classes: ClassCounts } {
  const classes = classify(classCol, 'a stratification column');
  checkClassCount(classes.keys.length);
  const groups = classify(groupCol, 'a group key');
  return stratifiedGroupSplitOf(classes, groups.rows, classCol.length, ratios, seed);
}

/** SPEC.TOO_MANY_CLASSES past MAX_STRATIFIED_GROUP_CLASSES: checked before any group is formed. */
export function checkClassCount(classes: number): void {
  if (classes > MAX_STRATIFIED_GROUP_CLASSES) {
    throw new DatasetError(
      'SPEC.TOO_MANY_CLASSES',
      `stratifyBy column has ${classes} classes; stratified-group takes at most ${MAX_STRATIFIED_GROUP_CLASSES}`,
      { details: { classes, limit: MAX_STRATIFIED_GROUP_CLASSES } },
    );
  }
}

/**
 * stratified-group on classes and groups already formed (keys in bytewise order, rows of n in
 * source order): the placement walk of §2.4.1, shared by the one-process and sharded engines.
 */
export function stratifiedGroupSplitOf(
  classes: Classes,
  groupRows: readonly Uint32Array[],
  n: number,
  ratios: Ratios,
  seed: number,
): { splitOf: SplitOfRow; classes: ClassCounts } {
  const C = classes.keys.length;
  const profiles = groupProfiles(groupRows, classes.classOf, C);
  const targets = allocateClasses(
    classes.rows.map((r) => r.length),
    ratios,
  );
  // gap[c*3+k] = a_ck − t_ck: starts at minus the target and rises as groups arrive.
  const gap = new Float64Array(C * 3);
  targets.forEach((t, c) => {
    for (let k = 0; k < 3; k++) gap[c * 3 + k] = -t[k]!;
  });
  const deficit = splitCounts(n, ratios);
  const eligible = [ratios.train > 0, ratios.validation > 0, ratios.test > 0];
  const shuffled = Array.from(fisherYates(iota(groupRows.length), streamFor(seed, 'stratified-group')));
  // Array.prototype.sort is stable, so equal sizes keep their shuffled order.
  const order = shuffled.sort((a, b) => profiles[b]!.size - profiles[a]!.size);
  const exact = n < EXACT_NUMBER_ROWS;
  const splitOf = new Uint8Array(n);
  const counts = targets.map(() => [0, 0, 0] as [number, number, number]);
  for (const g of order) {
    const { held, count, size } = profiles[g]!;
    let best = -1;
    let bestCost: number | bigint = 0;
    for (let k = 0; k < 3; k++) {
      if (!eligible[k]) continue;
      const cost = costOf(held, count, gap, k, exact);
      if (best < 0 || cost < bestCost || (cost === bestCost && deficit[k]! > deficit[best]!)) {
        best = k;
        bestCost = cost;
      }
    }
    deficit[best]! -= size;
    held.forEach((c, i) => {
      gap[c * 3 + best]! += count[i]!;
      counts[c]![best]! += count[i]!;
    });
    for (const row of groupRows[g]!) splitOf[row] = best;
  }
  return { splitOf, classes: { keys: classes.keys, counts } };
}
