import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import type { SplitSpec } from '../../../schemas/spec.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { DatasetError } from '../errors.js';
import { assignGroup } from './group.js';
import { assignHash } from './hash.js';
import { fisherYates, streamFor } from './prng.js';
import { assignRandom } from './random.js';
import { unknownColumn } from './spec-columns.js';
import { assignStratified } from './stratified.js';
import { assignStratifiedGroup, type ClassCounts } from './stratified-group.js';
import { assignTime } from './time.js';
import type { Ratios, SplitIndices, SplitOfRow } from './types.js';

/** The column a spec field names, or SPEC.UNKNOWN_COLUMN. */
export function findColumn(
  columns: readonly FlatColumn[],
  name: string | undefined,
  field: string,
): FlatColumn {
  const found = columns.find((c) => c.name === name);
  if (!found) {
    throw unknownColumn(
      field,
      name,
      columns.map((c) => c.name),
    );
  }
  return found;
}

/** Each row's split by the spec's strategy, before any empty-split check (§2.4). */
export function splitOfRows(
  columns: readonly FlatColumn[],
  n: number,
  spec: SplitSpec,
): { splitOf: SplitOfRow; classes?: ClassCounts } {
  if (spec.strategy === 'stratified-group') {
    return assignStratifiedGroup(
      findColumn(columns, spec.stratifyBy, 'stratifyBy'),
      findColumn(columns, spec.groupBy, 'groupBy'),
      spec.ratios,
      spec.seed,
    );
  }
  return { splitOf: plainSplitOfRows(columns, n, spec) };
}

function plainSplitOfRows(columns: readonly FlatColumn[], n: number, spec: SplitSpec): SplitOfRow {
  const { ratios, seed } = spec;
  switch (spec.strategy) {
    case 'random':
      return assignRandom(n, ratios, seed);
    case 'stratified':
      return assignStratified(findColumn(columns, spec.stratifyBy, 'stratifyBy'), ratios, seed);
    case 'group':
      return assignGroup(findColumn(columns, spec.groupBy, 'groupBy'), ratios, seed);
    case 'hash':
      return spec.key !== undefined
        ? assignHash(findColumn(columns, spec.key, 'key'), ratios, seed)
        : assignHash(findColumn(columns, spec.groupBy, 'groupBy'), ratios, seed);
    case 'time':
      return assignTime(findColumn(columns, spec.orderBy, 'orderBy'), ratios);
    case 'stratified-group':
      throw new Error('stratified-group is assigned by splitOfRows');
  }
}

/** Row indices of each split: source order, or the seeded "shuffle/<split>" order when asked. */
export function collectSplits(
  splitOf: SplitOfRow,
  spec: Pick<SplitSpec, 'ratios' | 'seed' | 'shuffle'>,
): SplitIndices {
  const sizes = splitSizes(splitOf);
  checkSplitsNonEmpty(sizes, spec.ratios);
  const out = sizes.map((s) => new Uint32Array(s));
  const fill = [0, 0, 0];
  for (let i = 0; i < splitOf.length; i++) {
    const s = splitOf[i]!;
    out[s]![fill[s]!++] = i;
  }
  if (spec.shuffle) {
    SPLIT_NAMES.forEach((name, k) => {
      shuffleSplit(out[k]!, spec.seed, name);
    });
  }
  return { train: out[0]!, validation: out[1]!, test: out[2]! };
}

/** Rows per split of a per-row split assignment. */
export function splitSizes(splitOf: SplitOfRow): [number, number, number] {
  const sizes: [number, number, number] = [0, 0, 0];
  for (const s of splitOf) sizes[s]!++;
  return sizes;
}

/** SPEC.EMPTY_SPLIT for the first split with a positive ratio and no row (§2.4). */
export function checkSplitsNonEmpty(sizes: readonly number[], ratios: Ratios): void {
  const rows = sizes[0]! + sizes[1]! + sizes[2]!;
  SPLIT_NAMES.forEach((name, k) => {
    if (ratios[name] > 0 && sizes[k] === 0) {
      throw new DatasetError(
        'SPEC.EMPTY_SPLIT',
        `split "${name}" has ratio ${ratios[name]} but would get no rows out of ${rows}`,
        { details: { split: name, ratio: ratios[name], rows } },
      );
    }
  });
}

/** §2.5: a split's rows (in source order) shuffled in place with the "shuffle/<name>" stream. */
export function shuffleSplit(rows: Uint32Array, seed: number, name: SplitName): Uint32Array {
  return fisherYates(rows, streamFor(seed, `shuffle/${name}`));
}

/** DATASET.EMPTY for no rows, DATASET.TOO_MANY_ROWS from 2^32 rows (checked before any column). */
export function checkRowCount(n: number): void {
  if (n === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset has no rows; there is nothing to split');
  if (n >= 4294967296) {
    throw new DatasetError(
      'DATASET.TOO_MANY_ROWS',
      `the dataset has ${n} rows; split-v1 handles fewer than 2^32`,
    );
  }
}

/**
 * The assignment stage: which source rows go to which split, in output order. Pure function
 * of the flattened columns and the spec (SPLIT-SPEC.md §2).
 */
export function assignSplits(columns: readonly FlatColumn[], n: number, spec: SplitSpec): SplitIndices {
  return assignSplitsWithClasses(columns, n, spec).indices;
}

/** assignSplits, plus the per-class counts of each split for stratified-group (§4). */
export function assignSplitsWithClasses(
  columns: readonly FlatColumn[],
  n: number,
  spec: SplitSpec,
): { indices: SplitIndices; classes?: ClassCounts } {
  checkRowCount(n);
  const { splitOf, classes } = splitOfRows(columns, n, spec);
  const indices = collectSplits(splitOf, spec);
  return classes ? { indices, classes } : { indices };
}
