import { expect } from 'vitest';
import { datasetAddress } from '../../../../functions/core/dataset-files.js';
import { sha256Hex } from '../../../../functions/core/hash.js';
import {
  freezeSharded,
  type ShardedFreezeOptions,
  type SplitFileSink,
} from '../../../../functions/core/shard/sharded-freeze.js';
import type { DatasetSource } from '../../../../functions/core/shard/source.js';
import { splitDataset, splitFiles } from '../../../../functions/core/split-dataset.js';
import { SPLIT_NAMES, type SplitName } from '../../../../schemas/common.js';
import { SpecRequest, type SpecRequestInput } from '../../../../schemas/spec.js';
import { memorySource } from '../support.js';

/** Collects each split file's chunks, copied (a writer may reuse its buffers). */
export function memorySink(): SplitFileSink & { file(split: SplitName): Uint8Array } {
  const chunks: Record<SplitName, Uint8Array[]> = { train: [], validation: [], test: [] };
  return {
    write: async (split, chunk) => {
      chunks[split].push(chunk.slice());
    },
    file: (split) => Buffer.concat(chunks[split]),
  };
}

/** The dataset reference the engines record for these files (one file: its own address). */
export function datasetOf(files: readonly Uint8Array[]) {
  const refs = files.map((f) => ({ sha256: sha256Hex(f), bytes: f.byteLength }));
  const bytes = refs.reduce((a, r) => a + r.bytes, 0);
  return files.length === 1
    ? { sha256: refs[0]!.sha256, bytes }
    : { sha256: datasetAddress(refs), bytes, files: refs };
}

/**
 * Freezes `files` in one process and in shards (through `source`, memorySource by default) and
 * expects the same manifest and the split files it names, byte for byte.
 */
export async function expectShardedSame(
  files: readonly Uint8Array[],
  input: SpecRequestInput,
  options: ShardedFreezeOptions & { readonly source?: DatasetSource },
): Promise<void> {
  const spec = SpecRequest.parse(input);
  const dataset = datasetOf(files);
  const whole = dataset.files
    ? await splitFiles(files, { ...dataset, files: dataset.files }, spec)
    : await splitDataset(files[0]!, dataset, spec);
  const sink = memorySink();
  const { source = memorySource(files), ...freezeOptions } = options;
  const manifest = await freezeSharded(source, dataset, spec, sink, freezeOptions);
  const at = `${input.strategy} at ${options.targetShardBytes ?? 'default'} shard bytes`;
  expect(manifest, at).toEqual(whole.manifest);
  for (const split of SPLIT_NAMES) {
    expect(sha256Hex(sink.file(split)), `${at}: ${split}`).toBe(whole.manifest.splits[split].sha256);
  }
}
