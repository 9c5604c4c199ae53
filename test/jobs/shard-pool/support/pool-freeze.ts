/** Freezes a dataset three ways (one process, sharded in this thread, sharded on a pool) for comparison. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blobKey } from '../../../../functions/adapters/common/blob-address.js';
import { datasetAddress } from '../../../../functions/core/dataset-files.js';
import { sha256Hex } from '../../../../functions/core/hash.js';
import {
  freezeSharded,
  type ShardTasks,
  type SplitFileSink,
} from '../../../../functions/core/shard/sharded-freeze.js';
import type { DatasetSource } from '../../../../functions/core/shard/source.js';
import { splitDataset, splitFiles } from '../../../../functions/core/split-dataset.js';
import type { SplitName } from '../../../../schemas/common.js';
import type { Manifest } from '../../../../schemas/manifest.js';
import type { JobProgress } from '../../../../schemas/records.js';
import type { SplitSpec } from '../../../../schemas/spec.js';

/** A dataset's files in memory, and its address as the store records it. */
export interface TestDataset {
  readonly files: readonly Uint8Array[];
  readonly refs: readonly { readonly sha256: string; readonly bytes: number }[];
  readonly ref: { sha256: string; bytes: number; files?: { sha256: string; bytes: number }[] };
}

export function datasetOf(files: readonly Uint8Array[]): TestDataset {
  const refs = files.map((f) => ({ sha256: sha256Hex(f), bytes: f.byteLength }));
  const bytes = refs.reduce((a, r) => a + r.bytes, 0);
  return {
    files,
    refs,
    ref:
      files.length === 1
        ? { sha256: refs[0]!.sha256, bytes }
        : { sha256: datasetAddress(refs), bytes, files: refs },
  };
}

/** Stores the dataset's files where the embedded blob store keeps them under `blobDir`. */
export async function storeFiles(blobDir: string, dataset: TestDataset): Promise<void> {
  for (const [i, file] of dataset.files.entries()) {
    const path = join(blobDir, blobKey('dataset', dataset.refs[i]!.sha256));
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, file);
  }
}

function memorySource(files: readonly Uint8Array[]): DatasetSource {
  return {
    sizes: files.map((f) => f.byteLength),
    readRange: async (file, start, end) => files[file]!.slice(start, end),
  };
}

/** What a freeze gave: the manifest and each split file's SHA-256 and size, or the error. */
export type Outcome =
  | { readonly manifest: Manifest; readonly files: Record<SplitName, { sha256: string; bytes: number }> }
  | { readonly error: { name: string; code?: string; message: string; details?: unknown } };

function failed(error: unknown): Outcome {
  const e = error as { name: string; code?: string; message: string; details?: unknown };
  return { error: { name: e.name, code: e.code, message: e.message, details: e.details } };
}

/** The one-process engine's outcome. */
export async function oneProcess(dataset: TestDataset, spec: SplitSpec): Promise<Outcome> {
  try {
    const { manifest, artifacts: files } =
      dataset.files.length === 1
        ? await splitDataset(dataset.files[0]!, dataset.ref, spec)
        : await splitFiles(dataset.files, { ...dataset.ref, files: dataset.ref.files! }, spec);
    const of = (split: SplitName) => ({ sha256: sha256Hex(files[split]), bytes: files[split].byteLength });
    return { manifest, files: { train: of('train'), validation: of('validation'), test: of('test') } };
  } catch (error) {
    return failed(error);
  }
}

/** The sharded engine's outcome, its steps on `tasks` (this thread when undefined). */
export async function sharded(
  dataset: TestDataset,
  spec: SplitSpec,
  targetShardBytes: number,
  tasks?: ShardTasks,
  onProgress?: (p: JobProgress) => void,
): Promise<Outcome> {
  const chunks: Record<SplitName, Uint8Array[]> = { train: [], validation: [], test: [] };
  const sink: SplitFileSink = {
    write: async (split, chunk) => {
      chunks[split].push(chunk.slice());
    },
  };
  try {
    const manifest = await freezeSharded(memorySource(dataset.files), dataset.ref, spec, sink, {
      targetShardBytes,
      ...(tasks ? { tasks } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    const of = (split: SplitName) => {
      const bytes = Buffer.concat(chunks[split]);
      return { sha256: sha256Hex(bytes), bytes: bytes.byteLength };
    };
    return { manifest, files: { train: of('train'), validation: of('validation'), test: of('test') } };
  } catch (error) {
    return failed(error);
  }
}
