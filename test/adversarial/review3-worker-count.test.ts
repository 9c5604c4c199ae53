/**
 * SPLITVAULT_WORKERS is an execution detail: for a dataset the budget lets one thread freeze,
 * more threads must give the same manifest, not a refusal (issue 15, item 3: "whatever the
 * shard boundaries and worker count"). shardLimits divides the per-shard decode limit by the
 * thread count, but a Parquet row group can't be cut smaller, so a file with one big row group
 * that freezes on one thread is refused DATASET.TOO_LARGE_DECODED on two — and the default
 * count is the machine's cores, so the same server config refuses it on a bigger machine.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';
import { openScratch } from '../../functions/adapters/local/fs-scratch.js';
import { poolShardWorkers } from '../../functions/handlers/shard-pool/pool-tasks.js';
import { splitInShards } from '../../functions/jobs/freeze-sharded.js';
import { SpecRequest } from '../../schemas/spec.js';
import { datasetOf, storeFiles, type TestDataset } from '../jobs/shard-pool/support/pool-freeze.js';

const python = join(import.meta.dirname, '../../.tools/venv/bin/python');
const MiB = 2 ** 20;
/** A budget whose one-thread decode limit (a quarter) holds the row group and whose two-thread one doesn't. */
const BUDGET = 40 * MiB;

const MAKE = `
import sys, pyarrow as pa, pyarrow.parquet as pq
n = 400_000
t = pa.table({"id": pa.array(range(n), pa.int64()), "x": pa.array([i % 97 for i in range(n)], pa.int64())})
pq.write_table(t, sys.argv[1], row_group_size=n)
`;

describe('a sharded freeze of a Parquet file with one big row group', () => {
  let dir: string;
  let dataset: TestDataset;
  let blobs: FsBlobStore;
  let scratch: Awaited<ReturnType<typeof openScratch>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'review3-workers-'));
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

  async function freezeOn(count: number): Promise<string> {
    const workers = poolShardWorkers({ blobDir: join(dir, 'blobs'), count, workerMemory: BUDGET });
    const spec = SpecRequest.parse({
      strategy: 'random',
      seed: 7,
      ratios: { train: 0.8, validation: 0.1, test: 0.1 },
    });
    try {
      const { manifest, files } = await splitInShards(
        blobs,
        dataset.ref,
        spec,
        { workerMemory: BUDGET, scratch, workers },
        {},
      );
      await Promise.all(Object.values(files).map((f) => f.remove()));
      return manifest.id;
    } catch (error) {
      return `${(error as { code?: string }).code} ${(error as Error).message}`;
    }
  }

  it('gives the same manifest on two shard threads as on one, under the same memory budget', async () => {
    const one = await freezeOn(1);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(await freezeOn(2)).toBe(one);
  }, 20_000);
});
