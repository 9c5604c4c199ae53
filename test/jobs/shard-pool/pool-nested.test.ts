/**
 * A nested JSON Lines dataset frozen in shards on worker threads: its per-shard nested
 * inference crosses the threads by structured clone and merges into the one-process type.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolShardWorkers } from '../../../functions/handlers/shard-pool/pool-tasks.js';
import { SpecRequest } from '../../../schemas/spec.js';
import { datasetOf, oneProcess, sharded, storeFiles, type TestDataset } from './support/pool-freeze.js';

const inputs = join(import.meta.dirname, '..', '..', 'golden', 'inputs', 'sharded-nested');
const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const SPECS = [
  { strategy: 'random', seed: 7, ratios },
  { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user', shuffle: true },
] as const;

let blobDir = '';
let dataset: TestDataset;
beforeAll(async () => {
  blobDir = await mkdtemp(join(tmpdir(), 'splitvault-pool-nested-'));
  dataset = datasetOf(await Promise.all([0, 1, 2].map((k) => readFile(join(inputs, `part-${k}.jsonl`)))));
  await storeFiles(blobDir, dataset);
});
afterAll(async () => {
  if (blobDir) await rm(blobDir, { recursive: true, force: true });
});

describe('a sharded freeze of nested JSON Lines on worker threads', () => {
  it.each([1, 2])('gives the one-process manifest id and split files with %i workers', async (count) => {
    const run = poolShardWorkers({ blobDir, count, workerMemory: 2 ** 30 }).start(dataset.refs);
    try {
      for (const input of SPECS) {
        const spec = SpecRequest.parse(input);
        const expected = await oneProcess(dataset, spec);
        expect('manifest' in expected, JSON.stringify(expected)).toBe(true);
        // About 20 rows a shard: many shards, struct fields first seen in later ones.
        const onPool = await sharded(dataset, spec, 3000, run.tasks);
        expect(onPool, JSON.stringify(input)).toEqual(expected);
      }
    } finally {
      await run.close();
    }
  });
});
