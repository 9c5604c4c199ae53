/**
 * The sharded freeze (docs/SPLIT-SPEC.md §3.5, §7.5 and §9, execution notes): plan → scan → summarize →
 * assign → write, over a dataset read in shards through ranged reads. It gives the split files
 * and manifest of the one-process engine (split-dataset.ts) for every dataset both can freeze,
 * while holding one shard's columns at a time (plus the per-row summaries assignment needs, and
 * for `shuffle: true` one split at a time, bounded by `maxShuffleRows`).
 */
import type { Schema } from 'apache-arrow';
import { SPLIT_NAMES, type SplitName } from '../../../schemas/common.js';
import type { Manifest, SplitArtifact } from '../../../schemas/manifest.js';
import type { JobProgress } from '../../../schemas/records.js';
import { IRRELEVANT_FIELD, type SplitSpec } from '../../../schemas/spec.js';
import { BATCH_ROWS } from '../arrow/encode.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { encodeRowBlock, readRowBlocks, rowBlockSchema } from '../arrow/row-block.js';
import { encodeDictionaries, SplitFileWriter } from '../arrow/split-writer.js';
import { ValidationError } from '../errors.js';
import { type Sha256Stream, sha256Stream } from '../hash.js';
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
  scanShard,
} from './shard-ingest.js';
import { assignShards, type ShardedAssignment, summarizeShard } from './sharded-assign.js';
import type { DatasetSource } from './source.js';

/** Where the split files' bytes go, each file's chunks in order (files may interleave). */
export interface SplitFileSink {
  write(split: SplitName, chunk: Uint8Array): Promise<void>;
}

/** Runs `count` independent tasks and returns their results in index order. */
export type RunTasks = <T>(count: number, task: (index: number) => Promise<T>) => Promise<T[]>;

/** One after the other, in this thread; the first failure (lowest index) ends the run. */
export const runInOrder: RunTasks = async (count, task) => {
  const out = [];
  for (let i = 0; i < count; i++) out.push(await task(i));
  return out;
};

export interface ShardedFreezeOptions {
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
  /** How scan and summarize tasks run. @default runInOrder */
  readonly run?: RunTasks;
  /** Names of a many-file dataset's files, for error messages. */
  readonly labels?: readonly PartLabel[];
  /** Stage reports, as the one-process engine gives them. @default none */
  readonly onProgress?: (progress: JobProgress) => void;
}

/** Passes 1 (plan, scan, merge) and 2–3 (summarize, assign). */
async function planAndAssign(source: DatasetSource, spec: SplitSpec, options: ShardedFreezeOptions) {
  const run = options.run ?? runInOrder;
  const plan = await planShards(source, {
    format: spec.format,
    delimiter: spec.delimiter,
    schema: spec.schema,
    maxDecodedBytes: options.maxDecodedBytes,
    targetShardBytes: options.targetShardBytes,
    labels: options.labels,
  });
  const scans = await run(plan.shards.length, (i) => scanShard(source, plan, i));
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
  // Random assignment needs each shard's row count only, which the scan already has.
  const summaries = await run(plan.shards.length, async (i) =>
    spec.strategy === 'random'
      ? summarizeShard({ rows: merged.shardRows[i]!, columns: [] }, spec)
      : summarizeShard(await readShard(source, plan, merged, i), spec),
  );
  const size = source.sizes.reduce((a, b) => a + b, 0);
  const byBytes =
    options.maxShuffleBytes === undefined || merged.rows === 0
      ? Number.POSITIVE_INFINITY
      : Math.floor(options.maxShuffleBytes / (size / merged.rows));
  const maxShuffleRows = Math.min(options.maxShuffleRows ?? Number.POSITIVE_INFINITY, byBytes);
  const assignment = assignShards(summaries, spec, {
    ...(Number.isFinite(maxShuffleRows) ? { maxShuffleRows } : {}),
  });
  return { plan, merged, assignment };
}

interface Outputs {
  readonly writers: Record<SplitName, SplitFileWriter>;
  readonly hashes: Record<SplitName, Sha256Stream>;
  readonly bytes: Record<SplitName, number>;
}

async function emit(out: Outputs, sink: SplitFileSink, split: SplitName, chunks: readonly Uint8Array[]) {
  for (const chunk of chunks) {
    out.hashes[split].update(chunk);
    out.bytes[split] += chunk.byteLength;
    await sink.write(split, chunk);
  }
}

/** What passes 1–3 established, which pass 4 writes from. */
interface Planned {
  readonly source: DatasetSource;
  readonly plan: ShardPlan;
  readonly merged: MergedScan;
  /** The merged scan's schema, decoded once. */
  readonly schema: Schema;
  readonly assignment: ShardedAssignment;
}

/** Pass 4 without shuffle: one shard at a time, every split's rows appended in source order. */
async function writeInSourceOrder(
  { source, plan, merged, assignment }: Planned,
  out: Outputs,
  sink: SplitFileSink,
) {
  for (let s = 0; s < plan.shards.length; s++) {
    const shard = await readShard(source, plan, merged, s);
    for (const split of SPLIT_NAMES) {
      await emit(out, sink, split, out.writers[split].append(shard.columns, assignment.rowsOf(s, split)));
    }
  }
}

/** Index of `value` in the ascending `sorted` (it is there). */
function positionOf(sorted: Uint32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Pass 4 with shuffle: a split's output order is a permutation across shards, so each split is
 * gathered whole (as row blocks, in source order) and then written in its shuffled order; one
 * split at a time, which `maxShuffleRows` bounds.
 */
async function writeShuffled(
  { source, plan, merged, schema, assignment }: Planned,
  out: Outputs,
  sink: SplitFileSink,
) {
  const blockSchema = rowBlockSchema(schema);
  for (const split of SPLIT_NAMES) {
    const blocks: Uint8Array[] = [];
    const globalRows = new Uint32Array(assignment.counts[split]);
    for (let s = 0; s < plan.shards.length; s++) {
      const rows = assignment.rowsOf(s, split);
      if (rows.length === 0) continue;
      const shard = await readShard(source, plan, merged, s);
      const start = assignment.startOf(s, split);
      for (let i = 0; i < rows.length; i++) globalRows[start + i] = shard.firstRow + rows[i]!;
      for (let i = 0; i < rows.length; i += BATCH_ROWS - 1) {
        blocks.push(encodeRowBlock(blockSchema, shard.columns, rows.subarray(i, i + BATCH_ROWS - 1)));
      }
    }
    if (blocks.length === 0) continue;
    const order = assignment.shuffledOrder(split)!;
    const local = order.map((row) => positionOf(globalRows, row));
    const { columns } = readRowBlocks(blocks);
    await emit(out, sink, split, out.writers[split].append(columns, local));
  }
}

/** The dictionary batches every split file starts with, from any shard (all carry U). */
async function dictionariesOf({
  source,
  plan,
  merged,
  schema,
}: Omit<Planned, 'assignment'>): Promise<ReturnType<typeof encodeDictionaries> | undefined> {
  if (schema.dictionaries.size === 0) return undefined;
  const first: readonly FlatColumn[] = (await readShard(source, plan, merged, 0)).columns;
  return encodeDictionaries(first);
}

function writersFor(
  schema: Schema,
  dictionaries: ReturnType<typeof encodeDictionaries> | undefined,
): Outputs {
  const make = () => new SplitFileWriter(schema, dictionaries ? { dictionaries } : {});
  return {
    writers: { train: make(), validation: make(), test: make() },
    hashes: { train: sha256Stream(), validation: sha256Stream(), test: sha256Stream() },
    bytes: { train: 0, validation: 0, test: 0 },
  };
}

/**
 * Freezes a dataset read through `source` in shards, streaming the three split files into
 * `sink`, and returns the manifest naming them: the manifest the one-process engine gives.
 */
export async function freezeSharded(
  source: DatasetSource,
  dataset: DatasetRef | FilesDatasetRef,
  spec: SplitSpec,
  sink: SplitFileSink,
  options: ShardedFreezeOptions = {},
): Promise<Manifest> {
  const report = options.onProgress ?? (() => undefined);
  const size = source.sizes.reduce((a, b) => a + b, 0);
  report({ stage: 'ingest', done: 0, total: size });
  const { plan, merged, assignment } = await planAndAssign(source, spec, options);
  report({ stage: 'ingest', done: size, total: size });
  report({ stage: 'assign', done: merged.rows, total: merged.rows });
  const files = SPLIT_NAMES.length;
  report({ stage: 'encode', done: 0, total: files });
  const schema = mergedSchema(merged);
  const planned = { source, plan, merged, schema, assignment };
  const out = writersFor(schema, await dictionariesOf(planned));
  if (spec.shuffle) await writeShuffled(planned, out, sink);
  else await writeInSourceOrder(planned, out, sink);
  for (const split of SPLIT_NAMES) await emit(out, sink, split, out.writers[split].finish());
  report({ stage: 'encode', done: files, total: files });
  report({ stage: 'hash', done: files, total: files });
  const artifact = (split: SplitName): SplitArtifact => ({
    sha256: out.hashes[split].hex(),
    bytes: out.bytes[split],
    rows: assignment.counts[split],
  });
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
    splits: { train: artifact('train'), validation: artifact('validation'), test: artifact('test') },
    ...(assignment.classShares ? { classShares: [...assignment.classShares] } : {}),
  });
}
