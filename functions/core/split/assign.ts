import { SPLIT_NAMES } from '../../../schemas/common.js';
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
import type { SplitIndices, SplitOfRow } from './types.js';

function column(columns: readonly FlatColumn[], name: string | undefined, field: string): FlatColumn {
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
      column(columns, spec.stratifyBy, 'stratifyBy'),
      column(columns, spec.groupBy, 'groupBy'),
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
      return assignStratified(column(columns, spec.stratifyBy, 'stratifyBy'), ratios, seed);
    case 'group':
      return assignGroup(column(columns, spec.groupBy, 'groupBy'), ratios, seed);
    case 'hash':
      return spec.key !== undefined
        ? assignHash(column(columns, spec.key, 'key'), ratios, seed)
        : assignHash(column(columns, spec.groupBy, 'groupBy'), ratios, seed);
    case 'time':
      return assignTime(column(columns, spec.orderBy, 'orderBy'), ratios);
    case 'stratified-group':
      throw new Error('stratified-group is assigned by splitOfRows');
  }
}

/** Row indices of each split: source order, or the seeded "shuffle/<split>" order when asked. */
export function collectSplits(
  splitOf: SplitOfRow,
  spec: Pick<SplitSpec, 'ratios' | 'seed' | 'shuffle'>,
): SplitIndices {
  const sizes = [0, 0, 0];
  for (const s of splitOf) sizes[s]!++;
  SPLIT_NAMES.forEach((name, k) => {
    if (spec.ratios[name] > 0 && sizes[k] === 0) {
      throw new DatasetError(
        'SPEC.EMPTY_SPLIT',
        `split "${name}" has ratio ${spec.ratios[name]} but would get no rows out of ${splitOf.length}`,
        { details: { split: name, ratio: spec.ratios[name], rows: splitOf.length } },
      );
    }
  });
  const out = sizes.map((s) => new Uint32Array(s));
  const fill = [0, 0, 0];
  for (let i = 0; i < splitOf.length; i++) {
    const s = splitOf[i]!;
    out[s]![fill[s]!++] = i;
  }
  if (spec.shuffle) {
    SPLIT_NAMES.forEach((name, k) => {
      fisherYates(out[k]!, streamFor(spec.seed, `shuffle/${name}`));
    });
  }
  return { train: out[0]!, validation: out[1]!, test: out[2]! };
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

/** DATASET.EMPTY for no rows, DATASET.TOO_MANY_ROWS from 2^32 rows: split-v1 splits neither. */
export function checkRowCount(n: number): void {
  if (n === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset has no rows; there is nothing to split');
  if (n >= 4294967296) {
    throw new DatasetError(
      'DATASET.TOO_MANY_ROWS',
      `the dataset has ${n} rows; split-v1 handles fewer than 2^32`,
    );
  }
}
