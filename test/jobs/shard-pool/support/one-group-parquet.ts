import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { FsBlobStore } from '../../../../functions/adapters/local/fs-blob-store.js';
import { openScratch } from '../../../../functions/adapters/local/fs-scratch.js';
import { poolShardWorkers } from '../../../../functions/handlers/shard-pool/pool-tasks.js';
import { type ShardedOutcome, splitInShards } from '../../../../functions/jobs/freeze-sharded.js';
import { SpecRequest } from '../../../../schemas/spec.js';
import { datasetOf, storeFiles, type TestDataset } from './pool-freeze.js';

const python = join(import.meta.dirname, '../../../../.tools/venv/bin/python');

/** A Parquet file of `rows` rows in one row group (two int64 columns), written by pyarrow. */
const MAKE = `
import sys, pyarrow as pa, pyarrow.parquet as pq
n = int(sys.argv[2])
t = pa.table({"id": pa.array(range(n), pa.int64()), "x": pa.array([i % 97 for i in range(n)], pa.int64())})
pq.write_table(t, sys.argv[1], row_group_size=n)
`;

/** A stored one-row-group Parquet dataset and a way to freeze it on shard threads. */
export interface OneGroupParquet {
  /** Freezes it in shards on `count` threads under `budget` (SPLITVAULT_WORKER_MEMORY), random 80/10/10. */
  freeze(count: number, budget: number): Promise<ShardedOutcome>;
}

/**
 * Registers the suite's setup and teardown: a one-row-group Parquet file of `rows` rows, stored
 * in a blob directory of its own, with a scratch space for the split files.
 */
export function oneGroupParquet(rows: number): OneGroupParquet {
  let dir = '';
  let dataset: TestDataset;
  let blobs: FsBlobStore;
  let scratch: Awaited<ReturnType<typeof openScratch>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'one-group-'));
    const path = join(dir, 'one-group.parquet');
    execFileSync(python, ['-c', MAKE, path, String(rows)]);
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
  return {
    freeze(count, budget) {
      const workers = poolShardWorkers({ blobDir: join(dir, 'blobs'), count, workerMemory: budget });
      const spec = SpecRequest.parse({
        strategy: 'random',
        seed: 7,
        ratios: { train: 0.8, validation: 0.1, test: 0.1 },
      });
      return splitInShards(blobs, dataset.ref, spec, { workerMemory: budget, scratch, workers }, {});
    },
  };
}
