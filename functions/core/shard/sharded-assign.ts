import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import type { ClassShare } from '../../../schemas/manifest.js';
import type { SplitSpec } from '../../../schemas/spec.js';
import { DatasetError } from '../errors.js';
import { classSharesOf } from '../manifest.js';
import { checkRowCount, checkSplitsNonEmpty, shuffleSplit, splitSizes } from '../split/assign.js';
import { groupSplitOf } from '../split/group.js';
import { rowsOfClasses } from '../split/keys.js';
import { assignRandom } from '../split/random.js';
import { stratifiedSplitOf } from '../split/stratified.js';
import { type ClassCounts, checkClassCount, stratifiedGroupSplitOf } from '../split/stratified-group.js';
import type { SplitOfRow } from '../split/types.js';
import { mergeKeys } from './merge-keys.js';
import type { ShardSummary } from './shard-summary.js';
import { refusalError, timeSplitOf } from './shard-time.js';

export { type ShardInput, type ShardSummary, summarizeShard } from './shard-summary.js';

/** Limits of the sharded engine; the one-process engine applies none of them. */
export interface AssignShardsOptions {
  /**
   * Most rows a shuffled split may hold: its output order is a permutation across shards that
   * one worker computes and holds (4 bytes a row). Past it, SPEC.SHUFFLE_TOO_LARGE (422).
   * @default unlimited
   */
  readonly maxShuffleRows?: number;
}

/** The global assignment, handed out per shard (pass 3 of SPLIT-SPEC.md §9). */
export interface ShardedAssignment {
  readonly rows: number;
  readonly counts: Readonly<Record<SplitName, number>>;
  /** Shard-local rows of shard `shard` in `split`, ascending (source order); computed on each call. */
  rowsOf(shard: number, split: SplitName): Uint32Array;
  /** Position within `split` of the shard's first row there (= rows of `split` in earlier shards). */
  startOf(shard: number, split: SplitName): number;
  /** With shuffle: the split's output order as global row numbers (computed on each call); else undefined. */
  shuffledOrder(split: SplitName): Uint32Array | undefined;
  /** stratified-group: class keys and per-split class counts, as assignSplitsWithClasses gives. */
  readonly classes?: ClassCounts;
  /** stratified-group: the manifest's classShares. */
  readonly classShares?: readonly ClassShare[];
}

function keyed(
  summaries: readonly ShardSummary[],
  spec: SplitSpec,
  n: number,
): { splitOf: SplitOfRow; classes?: ClassCounts } {
  const { ratios, seed } = spec;
  if (spec.strategy === 'stratified') {
    const classes = mergeKeys(
      summaries.map((s) => s.classes),
      n,
      false,
    );
    return { splitOf: stratifiedSplitOf(rowsOfClasses(classes.classOf, classes.count), n, ratios, seed) };
  }
  if (spec.strategy === 'group') {
    const groups = mergeKeys(
      summaries.map((s) => s.groups),
      n,
      false,
    );
    return { splitOf: groupSplitOf(groups.classOf, groups.count, ratios, seed) };
  }
  const classes = mergeKeys(
    summaries.map((s) => s.classes),
    n,
    true,
  );
  checkClassCount(classes.count);
  const refused = summaries.find((s) => s.refusal)?.refusal;
  if (refused) throw refusalError(refused);
  const groups = mergeKeys(
    summaries.map((s) => s.groups),
    n,
    false,
  );
  const rows = rowsOfClasses(classes.classOf, classes.count);
  return stratifiedGroupSplitOf(
    { keys: classes.keys, classOf: classes.classOf, rows },
    rowsOfClasses(groups.classOf, groups.count),
    n,
    ratios,
    seed,
  );
}

/** Each dataset row's split: the one-process engine's, from the summaries alone. */
function globalSplitOf(summaries: readonly ShardSummary[], spec: SplitSpec, n: number) {
  switch (spec.strategy) {
    case 'random':
      return { splitOf: assignRandom(n, spec.ratios, spec.seed) };
    case 'hash': {
      const splitOf = new Uint8Array(n);
      let at = 0;
      for (const s of summaries) {
        if (s.splitOf) splitOf.set(s.splitOf, at);
        at += s.rows;
      }
      return { splitOf };
    }
    case 'time':
      return { splitOf: timeSplitOf(summaries, n, spec.ratios) };
    default:
      return keyed(summaries, spec, n);
  }
}

function checkShuffle(sizes: readonly number[], spec: SplitSpec, limit: number | undefined): void {
  if (!spec.shuffle || limit === undefined) return;
  SPLIT_NAMES.forEach((split, k) => {
    const rows = sizes[k]!;
    if (rows > limit) {
      throw new DatasetError(
        'SPEC.SHUFFLE_TOO_LARGE',
        `split "${split}" would hold ${rows} rows; a shuffled split of the sharded engine holds at most ${limit} (its order is one permutation across shards); freeze without shuffle and shuffle when reading`,
        { details: { split, rows, limit } },
      );
    }
  });
}

/**
 * Pass 3 of the sharded engine (SPLIT-SPEC.md §9): combines the summaries of every shard, in
 * shard order, into exactly what assignSplitsWithClasses gives on the whole dataset (same split
 * per row, same order, same classShares, same errors), whatever the shard boundaries.
 * Memory, besides the summaries (the caller's): 1 byte a row kept (each row's split); while
 * combining, 4 more a row for random, time and group (the permutation, the merged order, the
 * group numbers; group adds 5 bytes a group), 8 for stratified (class numbers, rows per class),
 * 16 for stratified-group (both columns, plus one row list and §2.4.1's profile per group,
 * a few hundred bytes a group); no key bytes per row, only each shard's distinct keys.
 */
export function assignShards(
  summaries: readonly ShardSummary[],
  spec: SplitSpec,
  options: AssignShardsOptions = {},
): ShardedAssignment {
  for (const s of summaries) {
    if (s.strategy !== spec.strategy) {
      throw new Error(`a shard summary made for strategy ${s.strategy} was given to ${spec.strategy}`);
    }
  }
  const n = summaries.reduce((acc, s) => acc + s.rows, 0);
  checkRowCount(n);
  const { splitOf, classes } = globalSplitOf(summaries, spec, n);
  const sizes = splitSizes(splitOf);
  checkSplitsNonEmpty(sizes, spec.ratios);
  checkShuffle(sizes, spec, options.maxShuffleRows);
  return shardedView(
    splitOf,
    summaries.map((s) => s.rows),
    sizes,
    spec,
    classes,
  );
}

function shardedView(
  splitOf: SplitOfRow,
  shardRows: readonly number[],
  sizes: [number, number, number],
  spec: SplitSpec,
  classes: ClassCounts | undefined,
): ShardedAssignment {
  // first[s]: the shard's first global row; start[s*3+k]: rows of split k before shard s.
  const first = new Float64Array(shardRows.length + 1);
  const start = new Float64Array(shardRows.length * 3 + 3);
  shardRows.forEach((rows, s) => {
    first[s + 1] = first[s]! + rows;
    for (let k = 0; k < 3; k++) start[(s + 1) * 3 + k] = start[s * 3 + k]!;
    for (let r = first[s]!; r < first[s + 1]!; r++) start[(s + 1) * 3 + splitOf[r]!]!++;
  });
  const indexOf = (split: SplitName) => SPLIT_NAMES.indexOf(split);
  const rowsOf = (shard: number, split: SplitName): Uint32Array => {
    const k = indexOf(split);
    const out = new Uint32Array(start[(shard + 1) * 3 + k]! - start[shard * 3 + k]!);
    let fill = 0;
    for (let r = first[shard]!; fill < out.length; r++) if (splitOf[r] === k) out[fill++] = r - first[shard]!;
    return out;
  };
  const shuffledOrder = (split: SplitName): Uint32Array | undefined => {
    if (!spec.shuffle) return undefined;
    const k = indexOf(split);
    const out = new Uint32Array(sizes[k]!);
    let fill = 0;
    for (let r = 0; r < splitOf.length; r++) if (splitOf[r] === k) out[fill++] = r;
    return shuffleSplit(out, spec.seed, split);
  };
  const classShares = classes && classSharesOf(classes.keys, classes.counts, sizes);
  return {
    rows: splitOf.length,
    counts: { train: sizes[0], validation: sizes[1], test: sizes[2] },
    rowsOf,
    startOf: (shard, split) => start[shard * 3 + indexOf(split)]!,
    shuffledOrder,
    ...(classes ? { classes, classShares } : {}),
  };
}
