/**
 * The decode limit of a sharded freeze on shard threads is one thread's, whatever their count:
 * a shard past a thread's share runs alone (pool-tasks.ts). See also
 * test/adversarial/review3-worker-count.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../../functions/adapters/local/fs-blob-store.js';
import { openScratch } from '../../../functions/adapters/local/fs-scratch.js';
import { poolShardWorkers } from '../../../functions/handlers/shard-pool/pool-tasks.js';
import { splitInShards } from '../../../functions/jobs/freeze-sharded.js';
import { SpecRequest } from '../../../schemas/spec.js';
import { datasetOf, storeFiles, type TestDataset } from './support/pool-freeze.js';

const python = join(import.meta.dirname, '../../../.tools/venv/bin/python');
const MiB = 2 ** 20;

const MAKE = `
import sys, pyarrow as pa, pyarrow.parquet as pq
n = 200_000
t = pa.table({"id": pa.array(range(n), pa.int64()), "x": pa.array([i % 97 for i in range(n)], pa.int64())})
pq.write_table(t, sys.argv[1], row_group_size=n)
`;

describe('a sharded freeze whose one row group decodes past the budget’s per-shard limit', () => {
  let dir: string;
  let dataset: TestDataset;
  let blobs: FsBlobStore;
  let scratch: Awaited<ReturnType<typeof openScratch>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shard-budget-'));
    const path = join(dir, 'one-group.parquet');
    execFileSync(python, ['-c', MAKE, path]);
    dataset = datasetOf([new Uint8Array(await readFile(path))]);
    blobs = new FsBlobStore({
      dir: join(dir, 'blobs'),
      publicBaseUrl: 'http://127.0.0.1:1',
      secret: randomBytes(32),
      retentionDays: 1,
    });
    await storeFiles(join(dir, 'blobs'), dataset);
    scratch = await openScratch(join(dir, 'scratch'));
  }, 60_000);
  afterAll(async () => {
    await scratch?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function refusalOn(count: number, budget: number) {
    const workers = poolShardWorkers({ blobDir: join(dir, 'blobs'), count, workerMemory: budget });
    const spec = SpecRequest.parse({
      strategy: 'random',
      seed: 7,
      ratios: { train: 0.8, validation: 0.1, test: 0.1 },
    });
    return splitInShards(blobs, dataset.ref, spec, { workerMemory: budget, scratch, workers }, {}).then(
      () => 'frozen',
      (error: { code?: string; message: string; details?: unknown }) => ({
        code: error.code,
        message: error.message,
        details: error.details,
      }),
    );
  }

  it('is refused alike on one thread and on three, naming SPLITVAULT_WORKER_MEMORY as the setting to raise', async () => {
    const one = await refusalOn(1, 8 * MiB);
    expect(one).toMatchObject({ code: 'DATASET.TOO_LARGE_DECODED', details: { limit: 2 * MiB } });
    expect((one as { message: string }).message).toContain('raise SPLITVAULT_WORKER_MEMORY');
    expect(await refusalOn(3, 8 * MiB)).toEqual(one);
  }, 30_000);
});
