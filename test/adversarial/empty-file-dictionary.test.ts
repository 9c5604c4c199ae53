import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetAddress } from '../../functions/core/dataset-files.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { freezeSharded } from '../../functions/core/shard/sharded-freeze.js';
import { splitFiles } from '../../functions/core/split-dataset.js';
import type { SplitName } from '../../schemas/common.js';
import { SpecRequest } from '../../schemas/spec.js';

/**
 * A many-file dataset (§7) is often a partitioned table, and partitions can be empty. When one
 * Arrow (or Parquet) file holds no rows and the table has a dictionary column, both engines
 * crash with a RangeError ("size … Received NaN" in the row identities, "NaN cannot be
 * converted to a BigInt" in the split writer) instead of freezing the other files' rows or
 * refusing with a typed error: the job fails as an internal error. Inputs: pyarrow 26.0.1,
 * inputs/empty-partition/make.py.
 */

const input = (name: string) =>
  new Uint8Array(readFileSync(join(import.meta.dirname, 'inputs', 'empty-partition', name)));

const spec = SpecRequest.parse({
  strategy: 'random',
  seed: 1,
  ratios: { train: 0.6, validation: 0.2, test: 0.2 },
});

function describeFiles(files: readonly Uint8Array[]) {
  const refs = files.map((f) => ({ sha256: sha256Hex(f), bytes: f.byteLength }));
  const bytes = refs.reduce((a, r) => a + r.bytes, 0);
  return { sha256: datasetAddress(refs), bytes, files: refs };
}

describe.each(['arrow', 'parquet'])(
  'a many-file %s dataset with an empty file and a dictionary column',
  (ext) => {
    const full = input(`d-full.${ext}`);
    const empty = input(`d-empty.${ext}`);

    it.each([
      ['after', [full, empty]],
      ['before', [empty, full]],
    ])(
      'freezes the rows of the other file when the empty file comes %s it, in one process and in shards',
      async (_, files) => {
        const dataset = describeFiles(files);
        const whole = await splitFiles(files, dataset, spec);
        expect(whole.manifest.dataset.rows).toBe(5);
        const chunks: Record<SplitName, Uint8Array[]> = { train: [], validation: [], test: [] };
        const manifest = await freezeSharded(
          { sizes: files.map((f) => f.byteLength), readRange: async (k, s, e) => files[k]!.slice(s, e) },
          dataset,
          spec,
          { write: async (split, chunk) => void chunks[split].push(chunk.slice()) },
          { targetShardBytes: 1 },
        );
        expect(manifest).toEqual(whole.manifest);
      },
    );
  },
);
