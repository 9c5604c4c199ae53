import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingestColumns } from '../../functions/core/ingest/index.js';
import { freezeSharded } from '../../functions/core/shard/sharded-freeze.js';
import { splitDataset, splitFiles } from '../../functions/core/split-dataset.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';
import { datasetOf, memorySink } from '../core/shard/support/freeze-parity.js';
import { memorySource } from '../core/shard/support.js';

/**
 * Golden vectors for nested JSON Lines frozen in shards (docs/SPLIT-SPEC.md §1.4.2, §9.6):
 * recorded from the one-process engine, then reproduced by the sharded freeze at several shard
 * sizes. After a deliberate change, rerun with SPLITVAULT_UPDATE_GOLDEN=1 and review the diff.
 */
const here = import.meta.dirname;
const expectedPath = join(here, 'sharded-nested.expected.json');
const update = process.env.SPLITVAULT_UPDATE_GOLDEN === '1';
const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const read = (...path: string[]) => new Uint8Array(readFileSync(join(here, 'inputs', ...path)));

const DATASETS: Record<string, Uint8Array[]> = {
  features: [read('sharded-nested', 'features.jsonl')],
  'features-3-parts': [0, 1, 2].map((k) => read('sharded-nested', `part-${k}.jsonl`)),
  'nested-golden': [read('nested', 'nested.jsonl')],
};
const SPECS: Record<string, SpecRequestInput> = {
  random: { strategy: 'random', seed: 7, ratios },
  'random-shuffle': { strategy: 'random', seed: 7, ratios, shuffle: true },
  stratified: { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
  group: { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
  hash: { strategy: 'hash', seed: 9, ratios, key: 'id' },
  time: { strategy: 'time', ratios, orderBy: 'id' },
  'stratified-group': { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
};
/** Shard sizes: about 18 rows a shard (many shards, batches straddling them), and one shard. */
const TARGETS = [3000, 1 << 26];

interface Vector {
  readonly manifestId: string;
  readonly splits: Record<string, string>;
}

const vectorOf = (manifest: { id: string; splits: Record<string, { sha256: string }> }): Vector => ({
  manifestId: manifest.id,
  splits: Object.fromEntries(Object.entries(manifest.splits).map(([name, split]) => [name, split.sha256])),
});

async function oneProcess(files: Uint8Array[], spec: SpecRequestInput): Promise<Vector> {
  const dataset = datasetOf(files);
  const parsed = SpecRequest.parse(spec);
  const { manifest } = dataset.files
    ? await splitFiles(files, { ...dataset, files: dataset.files }, parsed)
    : await splitDataset(files[0]!, dataset, parsed);
  return vectorOf(manifest);
}

async function sharded(files: Uint8Array[], spec: SpecRequestInput, targetShardBytes: number) {
  const sink = memorySink();
  const manifest = await freezeSharded(memorySource(files), datasetOf(files), SpecRequest.parse(spec), sink, {
    targetShardBytes,
  });
  for (const [name, split] of Object.entries(manifest.splits)) {
    expect(sha256Hex(sink.file(name as 'train')), `${name} file`).toBe(split.sha256);
  }
  return vectorOf(manifest);
}

describe('sharded nested JSON Lines golden vectors', () => {
  const expected = update ? {} : JSON.parse(readFileSync(expectedPath, 'utf8'));

  it('record the one-process schema, manifest id and split files of every dataset and strategy', async () => {
    const actual: Record<string, unknown> = {};
    for (const [data, files] of Object.entries(DATASETS)) {
      if (files.length === 1) {
        const { schema } = await ingestColumns(files[0]!, { format: 'jsonl' });
        actual[`${data}/schema`] = schema.fields.map(String);
      }
      for (const [name, spec] of Object.entries(SPECS))
        actual[`${data}/${name}`] = await oneProcess(files, spec);
    }
    if (update) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
  });

  it('are reproduced by the sharded freeze at every shard size', async () => {
    for (const [data, files] of Object.entries(DATASETS)) {
      for (const [name, spec] of Object.entries(SPECS)) {
        for (const target of TARGETS) {
          expect(await sharded(files, spec, target), `${data}/${name} at ${target}`).toEqual(
            expected[`${data}/${name}`],
          );
        }
      }
    }
  });
});
