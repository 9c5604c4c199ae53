/**
 * The sharded freeze cut into steps (docs/SPLIT-SPEC.md §3.5, §7.5, §9, execution notes). A
 * coordinator plans, merges, assigns, combines and builds the manifest; the per-shard steps
 * (scan, summarize, write) are pure functions of plain data, so they may run in this thread, on
 * a worker thread, or in another process (a Map task on AWS) and give the same bytes. Every
 * input and output here is structured-clonable: plans, scans, merged scans, summaries, slices
 * and parts hold numbers, strings, plain objects and typed arrays only.
 */
import type { Schema } from 'apache-arrow';
import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import type { Manifest, SplitArtifact } from '../../../schemas/manifest.js';
import { IRRELEVANT_FIELD, type SplitSpec } from '../../../schemas/spec.js';
import type { EncodedBatch } from '../arrow/ipc-batch.js';
import { encodeSplitPart, type SplitPart } from '../arrow/split-parts.js';
import { encodeDictionaries } from '../arrow/split-writer.js';
import { ValidationError } from '../errors.js';
import type { PartLabel } from '../ingest/many.js';
import { buildManifest, fieldInfos, normalizeSpec } from '../manifest.js';
import { checkSpecColumns } from '../split/spec-columns.js';
import type { DatasetRef, FilesDatasetRef } from '../split-dataset.js';
import {
  type MergedScan,
  mergedSchema,
  mergeScans,
  planShards,
  readShard,
  type ShardPlan,
  type ShardScan,
  scanShard,
} from './shard-ingest.js';
import { assignShards, type ShardedAssignment, type ShardSummary, summarizeShard } from './sharded-assign.js';
import type { DatasetSource } from './source.js';

/** The budget-derived limits of a sharded freeze (freeze-sharded.ts shardLimits gives them). */
export interface FreezeLimits {
  /** Input bytes a shard aims at (shard-ingest's option). @default 64 MiB */
  readonly targetShardBytes?: number;
  /** Decoded bytes one shard may allocate (DATASET.TOO_LARGE_DECODED past it). @default unlimited */
  readonly maxDecodedBytes?: number;
  /** Rows a shuffled split may hold (SPEC.SHUFFLE_TOO_LARGE past it). @default unlimited */
  readonly maxShuffleRows?: number;
  /**
   * Input bytes a shuffled split may stand for, turned into a row limit at the dataset's mean
   * row size once the scan has counted its rows (the tighter of this and maxShuffleRows
   * applies): a shuffled split is held whole while it is written. @default unlimited
   */
  readonly maxShuffleBytes?: number;
  /** Names of a many-file dataset's files, for error messages. */
  readonly labels?: readonly PartLabel[];
}

/** What every per-shard step of one freeze shares; the same object for every call of a run. */
export interface ShardContext {
  readonly plan: ShardPlan;
  readonly spec: SplitSpec;
  /** Absent while scanning (the scans are what it is merged from). */
  readonly merged?: MergedScan;
}

/** Step 1 (coordinator): cuts the dataset into shards. */
export function planFreeze(
  source: DatasetSource,
  spec: SplitSpec,
  limits: FreezeLimits = {},
): Promise<ShardPlan> {
  return planShards(source, {
    format: spec.format,
    delimiter: spec.delimiter,
    schema: spec.schema,
    maxDecodedBytes: limits.maxDecodedBytes,
    targetShardBytes: limits.targetShardBytes,
    labels: limits.labels,
  });
}

/** Step 2 (per shard): the shard's mergeable facts. */
export function scanFreezeShard(source: DatasetSource, plan: ShardPlan, shard: number): Promise<ShardScan> {
  return scanShard(source, plan, shard);
}

/**
 * Step 3 (coordinator): the scans, in shard order, folded into the dataset's schema, checked
 * against the spec's columns as the one-process engine checks them.
 */
export function mergeFreeze(plan: ShardPlan, scans: readonly ShardScan[], spec: SplitSpec): MergedScan {
  const merged = mergeScans(plan, scans, (schema) => checkSpecColumns(schema.fields, spec));
  // As the one-process engine: a delimiter given for a sniffed format that has none.
  if (spec.format === undefined && spec.delimiter !== undefined && merged.format !== 'csv') {
    throw new ValidationError(
      IRRELEVANT_FIELD,
      `the dataset is ${merged.format}, which has no delimiter; leave delimiter out`,
      {
        details: {
          errors: [{ path: 'spec.delimiter', message: `format "${merged.format}" has no delimiter` }],
        },
      },
    );
  }
  return merged;
}

/** Step 4 (per shard): what assignment needs of the shard. Random needs its row count only. */
export async function summarizeFreezeShard(
  source: DatasetSource,
  plan: ShardPlan,
  merged: MergedScan,
  spec: SplitSpec,
  shard: number,
): Promise<ShardSummary> {
  if (spec.strategy === 'random')
    return summarizeShard({ rows: merged.shardRows[shard]!, columns: [] }, spec);
  return summarizeShard(await readShard(source, plan, merged, shard), spec);
}

/**
 * Step 5 (coordinator): the global assignment from every shard's summary, in shard order.
 * `totalBytes` is the dataset's input size, which turns maxShuffleBytes into rows.
 */
export function assignFreeze(
  totalBytes: number,
  merged: MergedScan,
  summaries: readonly ShardSummary[],
  spec: SplitSpec,
  limits: FreezeLimits = {},
): ShardedAssignment {
  const byBytes =
    limits.maxShuffleBytes === undefined || merged.rows === 0
      ? Number.POSITIVE_INFINITY
      : Math.floor(limits.maxShuffleBytes / (totalBytes / merged.rows));
  const maxShuffleRows = Math.min(limits.maxShuffleRows ?? Number.POSITIVE_INFINITY, byBytes);
  return assignShards(summaries, spec, Number.isFinite(maxShuffleRows) ? { maxShuffleRows } : {});
}

/** One shard's share of the assignment: what its write step needs, as plain data. */
export interface ShardSlice {
  readonly shard: number;
  /** Shard-local rows in each split, ascending. */
  readonly rows: Readonly<Record<SplitName, Uint32Array>>;
  /** Position within each split of the shard's first row there. */
  readonly startOf: Readonly<Record<SplitName, number>>;
}

/** Shard `shard`'s slice of the assignment. */
export function sliceOf(assignment: ShardedAssignment, shard: number): ShardSlice {
  const rows = {} as Record<SplitName, Uint32Array>;
  const startOf = {} as Record<SplitName, number>;
  for (const split of SPLIT_NAMES) {
    rows[split] = assignment.rowsOf(shard, split);
    startOf[split] = assignment.startOf(shard, split);
  }
  return { shard, rows, startOf };
}

/** One shard's encoded share of the three split files (split-parts.ts). */
export interface ShardParts {
  readonly shard: number;
  readonly parts: Readonly<Record<SplitName, SplitPart>>;
  /**
   * Shard 0 only, when the schema has dictionary columns: the dictionary batches every split
   * file starts with (every shard carries the unified dictionaries, so any shard could give them).
   */
  readonly dictionaries?: readonly EncodedBatch[];
}

/** Step 6 (per shard, not with `shuffle`): the shard's rows encoded as its part of each split. */
export async function writeFreezeShard(
  source: DatasetSource,
  plan: ShardPlan,
  merged: MergedScan,
  slice: ShardSlice,
): Promise<ShardParts> {
  const schema = mergedSchema(merged);
  const { columns } = await readShard(source, plan, merged, slice.shard);
  const parts = {} as Record<SplitName, SplitPart>;
  for (const split of SPLIT_NAMES) {
    parts[split] = encodeSplitPart(schema, columns, slice.rows[split], slice.startOf[split]);
  }
  const dictionaries =
    slice.shard === 0 && schema.dictionaries.size > 0 ? encodeDictionaries(columns) : undefined;
  return { shard: slice.shard, parts, ...(dictionaries ? { dictionaries } : {}) };
}

/** What a sharded freeze's manifest says of the split files, once they are written and hashed. */
export type SplitArtifacts = Readonly<Record<SplitName, SplitArtifact>>;

/** Step 8 (coordinator): the manifest, as the one-process engine builds it. */
export function freezeManifest(
  dataset: DatasetRef | FilesDatasetRef,
  spec: SplitSpec,
  merged: MergedScan,
  schema: Schema,
  assignment: Pick<ShardedAssignment, 'classShares'>,
  splits: SplitArtifacts,
): Manifest {
  return buildManifest({
    dataset: {
      sha256: dataset.sha256,
      bytes: dataset.bytes,
      rows: merged.rows,
      format: merged.format,
      schema: fieldInfos(schema),
      ...('files' in dataset ? { files: dataset.files.map(({ sha256, bytes }) => ({ sha256, bytes })) } : {}),
    },
    spec: normalizeSpec(spec, merged.format),
    splits: { train: splits.train, validation: splits.validation, test: splits.test },
    ...(assignment.classShares ? { classShares: [...assignment.classShares] } : {}),
  });
}
