import { createHash } from 'node:crypto';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import type { Manifest } from '../../schemas/manifest.js';
import type { JobProgress } from '../../schemas/records.js';
import type { SplitSpec } from '../../schemas/spec.js';
import { concatBytes } from '../core/concat-bytes.js';
import { datasetAddress } from '../core/dataset-files.js';
import { TooLargeError } from '../core/errors.js';
import type { BlobStore, ScratchFile, ScratchSpace } from '../core/ports.js';
import { freezeSharded, type ShardTasks, type SplitFileSink } from '../core/shard/sharded-freeze.js';
import type { DatasetSource } from '../core/shard/source.js';
import type { DatasetAddress } from './read-dataset.js';

/** What a worker may hold, and where it writes split files before their address is known. */
export interface ShardingDeps {
  /** Bytes of memory one freeze may use (SPLITVAULT_WORKER_MEMORY). */
  readonly workerMemory: number;
  readonly scratch: ScratchSpace;
  /**
   * Where the shard steps run: the embedded backend's worker threads (SPLITVAULT_WORKERS).
   * @default the job's own thread, one shard at a time
   */
  readonly workers?: ShardWorkers;
}

/** Shard steps run elsewhere than the job's thread, started for one freeze and ended with it. */
export interface ShardWorkers {
  /** Shard steps in flight at once; the budget's shard limits are shared among them. */
  readonly count: number;
  /** Starts the steps of one freeze of the stored dataset made of `files`. */
  start(files: readonly { readonly sha256: string; readonly bytes: number }[]): ShardRun;
}

/** One freeze's shard steps; close() ends whatever runs them, and the freeze always calls it. */
export interface ShardRun {
  readonly tasks: ShardTasks;
  close(): Promise<void>;
}

/**
 * Peak memory of the one-process engine runs up to about four times the input (RELIABILITY.md,
 * "Amplification bombs"); a dataset that could pass the budget that way is frozen in shards.
 */
export const ONE_PROCESS_FACTOR = 4;

export function needsShards(bytes: number, workerMemory: number): boolean {
  return bytes * ONE_PROCESS_FACTOR > workerMemory;
}

const MiB = 2 ** 20;

/**
 * How a budget divides: a shard's input is a thirty-second of it, decoding may take a quarter
 * (8× the shard: CSV cells cost 16 bytes each however short, so short cells decode to twice
 * their text), and a shuffled split may stand for half of it. Three pending batches of the
 * split files and the per-row assignment facts (1–16 bytes a row) take the rest.
 */
export function shardLimits(workerMemory: number, workers = 1) {
  // Each of `workers` shard steps in flight holds its own shard: they share the budget. The
  // decode limit, though, is one thread's whatever the count (a Parquet row group can't be cut
  // smaller, and the count must not decide whether a dataset freezes): the workers share it at
  // run time, a shard past its thread's share running alone (pool-tasks.ts).
  const share = Math.floor(workerMemory / workers);
  return {
    targetShardBytes: Math.min(256 * MiB, Math.max(4096, Math.floor(share / 32))),
    maxDecodedBytes: Math.floor(workerMemory / 4),
    // The coordinator writes a shuffled split alone, after the shard steps.
    maxShuffleBytes: Math.floor(workerMemory / 2),
  };
}

/** Ranged reads of a dataset's files in the blob store, and streams of a file's rest. */
export function blobSource(
  blobs: BlobStore,
  files: readonly { sha256: string; bytes: number }[],
): DatasetSource {
  return {
    sizes: files.map((f) => f.bytes),
    async readRange(file, start, end) {
      if (end <= start) return new Uint8Array(0);
      const chunks: Uint8Array[] = [];
      for await (const chunk of await blobs.open('dataset', files[file]!.sha256, { start, end: end - 1 })) {
        chunks.push(chunk);
      }
      return concatBytes(chunks);
    },
    // One open of the rest of the file: a store that reads ahead does so over all of it.
    async *stream(file, start) {
      const size = files[file]!.bytes;
      if (start >= size) return;
      yield* await blobs.open('dataset', files[file]!.sha256, { start, end: size - 1 });
    },
  };
}

/** The SHA-256 of a stored blob, streamed: the check a sharded freeze makes before reading by range. */
export async function streamHash(
  blobs: BlobStore,
  sha256: string,
  onBytes: (n: number) => void,
): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await blobs.open('dataset', sha256)) {
    hash.update(chunk);
    onBytes(chunk.byteLength);
  }
  return hash.digest('hex');
}

/** The manifest and the three split files, complete on scratch disk. */
export interface ShardedOutcome {
  readonly manifest: Manifest;
  readonly files: Readonly<Record<SplitName, ScratchFile>>;
}

/** How a job's options apply to the sharded engine on a stored dataset. */
interface ShardedRunOptions {
  readonly maxDecodedBytes?: number;
  readonly onProgress?: (p: JobProgress) => void;
}

/**
 * The sharded engine on a stored dataset, its split files sent to `sink`. The caller has hashed
 * the stored files in full (hashStoredDataset): shard workers read them straight from disk.
 */
async function runSharded(
  blobs: BlobStore,
  dataset: DatasetAddress,
  spec: SplitSpec,
  sharding: ShardingDeps,
  sink: SplitFileSink,
  options: ShardedRunOptions,
): Promise<Manifest> {
  const refs = dataset.files ?? [{ sha256: dataset.sha256, bytes: dataset.bytes }];
  const limits = shardLimits(sharding.workerMemory, sharding.workers?.count);
  const run = sharding.workers?.start(refs);
  try {
    return await freezeSharded(
      blobSource(blobs, refs),
      dataset.files
        ? {
            sha256: dataset.sha256,
            bytes: dataset.bytes,
            files: dataset.files.map(({ sha256, bytes }) => ({ sha256, bytes })),
          }
        : { sha256: dataset.sha256, bytes: dataset.bytes },
      spec,
      sink,
      {
        ...limits,
        maxDecodedBytes: Math.min(
          limits.maxDecodedBytes,
          options.maxDecodedBytes ?? Number.POSITIVE_INFINITY,
        ),
        labels: dataset.files?.map((f) => ({ sha256: f.sha256, name: f.name })),
        onProgress: options.onProgress,
        ...(run ? { tasks: run.tasks } : {}),
      },
    );
  } catch (error) {
    throw budgetRefusal(
      error,
      limits.maxDecodedBytes < (options.maxDecodedBytes ?? Number.POSITIVE_INFINITY),
    );
  } finally {
    await run?.close();
  }
}

const DECODED_HINT = 'raise SPLITVAULT_MAX_DECODED_BYTES';

/** What lets an embedded sharded freeze decode more per shard. */
const EMBEDDED_REMEDY =
  'raise SPLITVAULT_WORKER_MEMORY (a sharded freeze decodes up to a quarter of it per shard)';

/**
 * A decode refusal whose limit came from the memory budget (a quarter of it per shard), not
 * SPLITVAULT_MAX_DECODED_BYTES, names the setting that would let the dataset freeze: `remedy`.
 */
export function budgetRefusal(error: unknown, byWorkerMemory: boolean, remedy = EMBEDDED_REMEDY): unknown {
  if (!byWorkerMemory || !(error instanceof TooLargeError) || error.code !== 'DATASET.TOO_LARGE_DECODED') {
    return error;
  }
  if (!error.message.includes(DECODED_HINT)) return error;
  return new TooLargeError(error.code, error.message.replace(DECODED_HINT, remedy), {
    details: error.details,
    cause: error,
  });
}

/** Runs the sharded engine on a stored dataset, its split files streamed to scratch files. */
export async function splitInShards(
  blobs: BlobStore,
  dataset: DatasetAddress,
  spec: SplitSpec,
  sharding: ShardingDeps,
  options: ShardedRunOptions,
): Promise<ShardedOutcome> {
  const files: Partial<Record<SplitName, ScratchFile>> = {};
  for (const split of SPLIT_NAMES) files[split] = await sharding.scratch.create(`${split}.arrow`);
  const all = files as Record<SplitName, ScratchFile>;
  try {
    const sink = { write: (split: SplitName, chunk: Uint8Array) => all[split].append(chunk) };
    const manifest = await runSharded(blobs, dataset, spec, sharding, sink, options);
    return { manifest, files: all };
  } catch (error) {
    await Promise.all(SPLIT_NAMES.map((split) => all[split].remove()));
    throw error;
  }
}

/** What a whole streaming pass over a stored dataset found: its address, and damaged files. */
export interface StoredDatasetHash {
  /** The address the bytes actually read give (the file list's for a many-file dataset). */
  readonly sha256: string;
  readonly damaged: readonly { readonly sha256: string; readonly actual: string }[];
}

/** Hashes every file of a stored dataset in one streaming pass, holding none of it. */
export async function hashStoredDataset(
  blobs: BlobStore,
  dataset: DatasetAddress,
  onBytes: (n: number) => void = () => undefined,
): Promise<StoredDatasetHash> {
  const refs = dataset.files ?? [{ sha256: dataset.sha256, bytes: dataset.bytes }];
  const actual: { sha256: string; bytes: number }[] = [];
  const damaged: { sha256: string; actual: string }[] = [];
  for (const file of refs) {
    const sha256 = await streamHash(blobs, file.sha256, onBytes);
    actual.push({ sha256, bytes: file.bytes });
    if (sha256 !== file.sha256) damaged.push({ sha256: file.sha256, actual: sha256 });
  }
  return { sha256: dataset.files ? datasetAddress(actual) : actual[0]!.sha256, damaged };
}

/** The manifest a sharded freeze of a stored dataset gives, its split files hashed and dropped. */
export async function rebuildInShards(
  blobs: BlobStore,
  dataset: DatasetAddress,
  spec: SplitSpec,
  sharding: ShardingDeps,
  options: ShardedRunOptions,
): Promise<Manifest> {
  return runSharded(blobs, dataset, spec, sharding, { write: async () => undefined }, options);
}
