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
import type { SplitSpec } from '../../../schemas/spec.js';
import { BATCH_ROWS } from '../arrow/encode.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import type { EncodedBatch } from '../arrow/ipc-batch.js';
import { encodeRowBlock, readRowBlocks, rowBlockSchema } from '../arrow/row-block.js';
import { SplitPartsCombiner } from '../arrow/split-parts.js';
import { encodeDictionaries, SplitFileWriter } from '../arrow/split-writer.js';
import { type Sha256Stream, sha256Stream } from '../hash.js';
import type { DatasetRef, FilesDatasetRef } from '../split-dataset.js';
import {
  assignFreeze,
  type FreezeLimits,
  freezeManifest,
  mergeFreeze,
  planFreeze,
  type ShardContext,
  type ShardParts,
  sliceOf,
} from './freeze-steps.js';
import { type MergedScan, mergedSchema, readShard, type ShardPlan } from './shard-ingest.js';
import { inThreadTasks, type MergedContext, runAll, runOrdered, type ShardTasks } from './shard-tasks.js';
import type { ShardedAssignment } from './sharded-assign.js';
import type { DatasetSource } from './source.js';

export type { ShardTasks } from './shard-tasks.js';

/** Where the split files' bytes go, each file's chunks in order (files may interleave). */
export interface SplitFileSink {
  write(split: SplitName, chunk: Uint8Array): Promise<void>;
}

export interface ShardedFreezeOptions extends FreezeLimits {
  /** Where the per-shard steps run. @default inThreadTasks(source) */
  readonly tasks?: ShardTasks;
  /** Stage reports, as the one-process engine gives them. @default none */
  readonly onProgress?: (progress: JobProgress) => void;
}

/** Passes 1 (plan, scan, merge) and 2–3 (summarize, assign). */
async function planAndAssign(
  source: DatasetSource,
  spec: SplitSpec,
  tasks: ShardTasks,
  options: ShardedFreezeOptions,
) {
  const plan = await planFreeze(source, spec, options);
  const shards = plan.shards.length;
  // One context object for the whole pass, as ShardTasks promises (a pool sends it once).
  const scanning: ShardContext = { plan, spec };
  const scans = await runAll(shards, tasks.concurrency, (i) => tasks.scan(scanning, i));
  const merged = mergeFreeze(plan, scans, spec);
  const context: MergedContext = { plan, spec, merged };
  const summaries = await runAll(shards, tasks.concurrency, (i) => tasks.summarize(context, i));
  const size = source.sizes.reduce((a, b) => a + b, 0);
  const assignment = assignFreeze(size, merged, summaries, spec, options);
  return { context, assignment };
}

interface Outputs {
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
  readonly context: MergedContext;
  /** The merged scan's schema, decoded once. */
  readonly schema: Schema;
  readonly assignment: ShardedAssignment;
}

/**
 * Pass 4 without shuffle: each shard's part of every split is encoded by the tasks (in parallel
 * when they can) and the parts are combined in shard order into the split files.
 */
async function writeParts(planned: Planned, tasks: ShardTasks, out: Outputs, sink: SplitFileSink) {
  const { plan, context, assignment } = planned;
  let combiners: Record<SplitName, SplitPartsCombiner> | undefined;
  const make = (dictionaries: ShardParts['dictionaries']) => {
    const one = () => new SplitPartsCombiner(planned.schema, dictionaries ? { dictionaries } : {});
    return { train: one(), validation: one(), test: one() };
  };
  const c = tasks.concurrency;
  await runOrdered(
    plan.shards.length,
    // A part is as big as its shard, and a Parquet row group can't be cut: a count of parts
    // alone doesn't bound what waits for the combine, so their bytes do too (a quarter of the
    // budget, the decode limit's share).
    { concurrency: c, width: 2 * c, maxWaitingBytes: plan.options.maxDecodedBytes, bytesOf: partsBytes },
    (s) => tasks.write(context, sliceOf(assignment, s)),
    async (shard) => {
      combiners ??= make(shard.dictionaries);
      for (const split of SPLIT_NAMES) await emit(out, sink, split, combiners[split].add(shard.parts[split]));
    },
  );
  // A dataset of no shards still gets its three (empty) files.
  combiners ??= make(await dictionariesOf(planned));
  for (const split of SPLIT_NAMES) await emit(out, sink, split, combiners[split].finish());
}

/** Bytes a shard's encoded parts hold. */
function partsBytes({ parts }: ShardParts): number {
  let bytes = 0;
  for (const split of SPLIT_NAMES) {
    const part = parts[split];
    bytes += part.head.byteLength + part.tail.byteLength;
    for (const batch of part.batches) bytes += batch.bytes.byteLength;
  }
  return bytes;
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

/** What a shuffled split file is written from. */
export type ShuffleInput = Pick<Planned, 'source' | 'plan' | 'merged' | 'schema' | 'assignment'>;

/**
 * One split file with shuffle: the split's output order is a permutation across shards, so the
 * split is gathered whole (as row blocks, in source order) and then written in its shuffled
 * order, which `maxShuffleRows` bounds. Exported for the AWS freeze's combine step, which
 * streams each split file on its own.
 */
export async function* shuffledSplitFile(
  planned: ShuffleInput,
  split: SplitName,
  dictionaries: readonly EncodedBatch[] | undefined,
): AsyncGenerator<Uint8Array> {
  const { source, plan, merged, schema, assignment } = planned;
  const blockSchema = rowBlockSchema(schema);
  const writer = new SplitFileWriter(schema, dictionaries ? { dictionaries } : {});
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
  if (blocks.length > 0) {
    const order = assignment.shuffledOrder(split)!;
    const local = order.map((row) => positionOf(globalRows, row));
    const { columns } = readRowBlocks(blocks);
    yield* writer.append(columns, local);
  }
  yield* writer.finish();
}

/** Pass 4 with shuffle: one split at a time, in this thread. */
async function writeShuffled(planned: Planned, out: Outputs, sink: SplitFileSink) {
  const dictionaries = await dictionariesOf(planned);
  for (const split of SPLIT_NAMES) {
    for await (const chunk of shuffledSplitFile(planned, split, dictionaries)) {
      await emit(out, sink, split, [chunk]);
    }
  }
}

/** The dictionary batches every split file starts with, from any shard (all carry U). */
export async function dictionariesOf({
  source,
  plan,
  merged,
  schema,
}: Pick<Planned, 'source' | 'plan' | 'merged' | 'schema'>): Promise<readonly EncodedBatch[] | undefined> {
  if (schema.dictionaries.size === 0 || plan.shards.length === 0) return undefined;
  const first: readonly FlatColumn[] = (await readShard(source, plan, merged, 0)).columns;
  return encodeDictionaries(first);
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
  const tasks = options.tasks ?? inThreadTasks(source);
  const size = source.sizes.reduce((a, b) => a + b, 0);
  report({ stage: 'ingest', done: 0, total: size });
  const { context, assignment } = await planAndAssign(source, spec, tasks, options);
  const { plan, merged } = context;
  report({ stage: 'ingest', done: size, total: size });
  report({ stage: 'assign', done: merged.rows, total: merged.rows });
  const files = SPLIT_NAMES.length;
  report({ stage: 'encode', done: 0, total: files });
  const schema = mergedSchema(merged);
  const planned: Planned = { source, plan, merged, context, schema, assignment };
  const out: Outputs = {
    hashes: { train: sha256Stream(), validation: sha256Stream(), test: sha256Stream() },
    bytes: { train: 0, validation: 0, test: 0 },
  };
  if (spec.shuffle) await writeShuffled(planned, out, sink);
  else await writeParts(planned, tasks, out, sink);
  report({ stage: 'encode', done: files, total: files });
  report({ stage: 'hash', done: files, total: files });
  const artifact = (split: SplitName): SplitArtifact => ({
    sha256: out.hashes[split].hex(),
    bytes: out.bytes[split],
    rows: assignment.counts[split],
  });
  return freezeManifest(dataset, spec, merged, schema, assignment, {
    train: artifact('train'),
    validation: artifact('validation'),
    test: artifact('test'),
  });
}
