import { Schema } from 'apache-arrow';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { StickyReport } from '../../../schemas/manifest.js';
import type { SplitSpec } from '../../../schemas/spec.js';
import { encodeSplit } from '../arrow/encode.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { DatasetError } from '../errors.js';
import { ingestColumns } from '../ingest/index.js';
import { splitOfRows } from '../split/assign.js';
import { classify, keyReader } from '../split/keys.js';
import { specColumns, unknownColumn } from '../split/spec-columns.js';
import { type ClassCounts, MAX_STRATIFIED_GROUP_CLASSES } from '../split/stratified-group.js';
import type { SplitOfRow } from '../split/types.js';
import { IdentityIndex } from './identity-index.js';
import { type ParentIdentities, stickyIdentities } from './sticky-identities.js';
import type { StickyField } from './sticky-types.js';

/**
 * Sticky re-freeze (docs/SPLIT-SPEC.md §8.5): rows the parent held keep the parent's split,
 * and only the rows it did not hold are split by the spec, among themselves. No row that was
 * in a parent's test split can land in train or validation, whatever the dataset gained or lost.
 */

/** The parent a freeze sticks to: its manifest id, the identity choice, its rows' identities. */
export interface StickyParent {
  readonly manifestId: string;
  /** A key column (§8.1 key identity); absent for the whole-row identity. */
  readonly by?: string | undefined;
  readonly identities: ParentIdentities;
  /** The parent's columns, from its split files: §8.5 refuses identity columns whose type changed. */
  readonly fields: readonly StickyField[];
}

export interface StickyAssignment {
  readonly splitOf: SplitOfRow;
  readonly report: StickyReport;
  /** stratified-group only: each class's rows per split, over the whole dataset. */
  readonly classes?: ClassCounts;
}

/** The split an identity found in several parent splits keeps: test, else validation, else train. */
function strictest(mask: number): number {
  return mask & 4 ? 2 : mask & 2 ? 1 : 0;
}

/**
 * The dataset of the added rows alone, as split-v1 would ingest it: only the columns the
 * strategy reads, gathered in source order into an Arrow file and read back, so the strategy
 * runs on exactly the sub-dataset §8.5 names, with the code that splits any other dataset.
 */
async function addedColumns(
  schema: Schema,
  columns: readonly FlatColumn[],
  rows: Uint32Array,
  spec: SplitSpec,
): Promise<FlatColumn[]> {
  const names = [...new Set(specColumns(spec).map((c) => c.name))];
  if (names.length === 0) return [];
  const at = names.map((name) => {
    const i = schema.fields.findIndex((f) => f.name === name);
    if (i < 0 || !columns[i])
      throw unknownColumn(
        'spec',
        name,
        columns.map((c) => c.name),
      );
    return i;
  });
  const bytes = encodeSplit(
    new Schema(at.map((i) => schema.fields[i]!)),
    at.map((i) => columns[i]!),
    rows,
  );
  return (await ingestColumns(bytes, { format: 'arrow' })).columns;
}

/** Per-class counts of each split over all rows, for a stratified-group manifest's classShares. */
function classCounts(columns: readonly FlatColumn[], spec: SplitSpec, splitOf: SplitOfRow): ClassCounts {
  const col = columns.find((c) => c.name === spec.stratifyBy)!;
  const { keys, classOf } = classify(col, 'a stratification column');
  if (keys.length > MAX_STRATIFIED_GROUP_CLASSES) {
    throw new DatasetError(
      'SPEC.TOO_MANY_CLASSES',
      `stratifyBy column has ${keys.length} classes; stratified-group takes at most ${MAX_STRATIFIED_GROUP_CLASSES}`,
      { details: { classes: keys.length, limit: MAX_STRATIFIED_GROUP_CLASSES } },
    );
  }
  const counts = keys.map(() => [0, 0, 0] as [number, number, number]);
  for (let i = 0; i < splitOf.length; i++) counts[classOf[i]!]![splitOf[i]!]!++;
  return { keys, counts };
}

/**
 * Every row's split under §8.5: kept rows keep the parent's split; with a `groupBy` spec, an
 * added row whose group has a kept row joins that group's split; the other added rows are
 * split by the spec's strategy run on the sub-dataset they form. No empty-split check here:
 * the caller checks the whole result, as for any split.
 */
export async function assignSticky(
  schema: Schema,
  columns: readonly FlatColumn[],
  n: number,
  spec: SplitSpec,
  parent: StickyParent,
): Promise<StickyAssignment> {
  const ids = stickyIdentities(columns, n, parent.by, 'dataset');
  const view = new DataView(ids.buffer, ids.byteOffset, ids.byteLength);
  const index = new IdentityIndex(SPLIT_NAMES.map((name) => parent.identities[name]));
  const splitOf = new Uint8Array(n);
  const kept = new Uint8Array(n);
  const placed = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const mask = index.lookup(ids, view, i);
    if (mask === 0) continue;
    splitOf[i] = strictest(mask);
    kept[i] = 1;
    placed[i] = 1;
  }

  if (spec.groupBy !== undefined) followGroups(columns, spec.groupBy, splitOf, placed);

  let left = 0;
  for (let i = 0; i < n; i++) if (!placed[i]) left++;
  if (left > 0) {
    const rows = new Uint32Array(left);
    for (let i = 0, j = 0; i < n; i++) if (!placed[i]) rows[j++] = i;
    const sub = await addedColumns(schema, columns, rows, spec);
    const { splitOf: subOf } = splitOfRows(sub, left, spec);
    rows.forEach((row, j) => {
      splitOf[row] = subOf[j]!;
    });
  }

  const counts = () => [0, 0, 0];
  const keptCounts = counts();
  const addedCounts = counts();
  for (let i = 0; i < n; i++) (kept[i] ? keptCounts : addedCounts)[splitOf[i]!]!++;
  const removed = index.unseenRows();
  const bySplit = (c: number[]) => ({ train: c[0]!, validation: c[1]!, test: c[2]! });
  const report: StickyReport = {
    parent: parent.manifestId,
    ...(parent.by !== undefined ? { by: parent.by } : {}),
    kept: bySplit(keptCounts),
    added: bySplit(addedCounts),
    removed: bySplit(removed),
  };
  return spec.strategy === 'stratified-group'
    ? { splitOf, report, classes: classCounts(columns, spec, splitOf) }
    : { splitOf, report };
}

/**
 * Groups stay whole: an added row whose `groupBy` key some kept row shares takes that group's
 * split (the strictest one, should the kept rows of a group sit in several).
 */
function followGroups(
  columns: readonly FlatColumn[],
  groupBy: string,
  splitOf: SplitOfRow,
  placed: Uint8Array,
): void {
  const col = columns.find((c) => c.name === groupBy);
  if (!col)
    throw unknownColumn(
      'groupBy',
      groupBy,
      columns.map((c) => c.name),
    );
  const key = keyReader(col, 'a group key');
  const groupMask = new Map<string, number>();
  for (let i = 0; i < splitOf.length; i++) {
    if (!placed[i]) continue;
    const k = key(i);
    groupMask.set(k, (groupMask.get(k) ?? 0) | (1 << splitOf[i]!));
  }
  for (let i = 0; i < splitOf.length; i++) {
    if (placed[i]) continue;
    const mask = groupMask.get(key(i));
    if (mask === undefined) continue;
    splitOf[i] = strictest(mask);
    placed[i] = 1;
  }
}
