/**
 * Freeze and verify jobs past the memory budget with their shard steps on worker threads: the
 * one-process manifest when every thread lives, and when one dies mid-freeze a failed job with
 * JOB.WORKER_DIED, no split file stored, scratch disk empty and no thread left running.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch } from '../../../functions/adapters/local/fs-scratch.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import { poolShardWorkers } from '../../../functions/handlers/shard-pool/pool-tasks.js';
import { runningPoolThreads } from '../../../functions/handlers/shard-pool/thread-pool.js';
import { SpecRequest } from '../../../schemas/spec.js';
import { call } from '../../reliability/support/call.js';
import { createHarness, type Harness } from '../../reliability/support/harness.js';
import { csv, freezeAnswer, upload } from '../../reliability/support/seed.js';

const ratios = { train: 0.7, validation: 0.15, test: 0.15 };
/** Past a quarter of the budget, so frozen in shards of 4 KiB (about 25 of them). */
const BUDGET = 256 * 1024;

const liveThreads = runningPoolThreads;

async function scratchFiles(root: string): Promise<string[]> {
  const spaces = await readdir(root);
  const files = await Promise.all(spaces.map((s) => readdir(join(root, s))));
  return files.flat();
}

describe.each([
  ['every thread lives', undefined],
  ['a thread dies mid-freeze', new URL('./support/dying-shard-thread.ts', import.meta.url).href],
])('a sharded job on two worker threads when %s', (_, entry) => {
  let h: Harness;
  let dataDir: string;
  let scratchRoot: string;
  let scratch: Awaited<ReturnType<typeof openScratch>>;
  let threadsBefore = 0;
  beforeAll(async () => {
    threadsBefore = liveThreads();
    dataDir = await mkdtemp(join(tmpdir(), 'splitvault-pool-job-'));
    scratchRoot = await mkdtemp(join(tmpdir(), 'splitvault-scratch-'));
    scratch = await openScratch(scratchRoot);
    const workers = poolShardWorkers({
      blobDir: join(dataDir, 'blobs'),
      count: 2,
      workerMemory: BUDGET,
      ...(entry ? { entry } : {}),
    });
    h = await createHarness('embedded', { dataDir, sharding: { workerMemory: BUDGET, scratch, workers } });
  });
  afterAll(async () => {
    await h?.close();
    await scratch?.dispose();
    await rm(scratchRoot, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('records the outcome the job should have and leaves no scratch file or thread behind', async () => {
    const data = csv(12_000, 5);
    expect(data.bytes.byteLength * 4).toBeGreaterThan(BUDGET);
    await upload(h, data);
    const spec = { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' };
    const answer = await freezeAnswer(h, data.sha256, spec);
    if (entry) {
      // ?wait answers a failed job with its problem.
      expect(answer.status).toBe(500);
      expect(answer.json).toMatchObject({ code: 'JOB.WORKER_DIED', status: 500 });
      // No split file reached the store.
      const artifacts = await readdir(join(dataDir, 'blobs', 'artifacts', 'sha256')).catch(() => []);
      expect(artifacts).toEqual([]);
    } else {
      expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(300);
      const expected = await splitDataset(
        data.bytes,
        { sha256: data.sha256, bytes: data.bytes.byteLength },
        SpecRequest.parse(spec),
      );
      expect(answer.json.manifest.id).toBe(expected.manifest.id);
      // verify rebuilds it in shards on the threads too, and finds it reproducible.
      const verified = await call(h, 'POST', `/v1/splits/${expected.manifest.id}/verify?wait=30`);
      expect(verified.json.job.result, JSON.stringify(verified.json.job)).toMatchObject({
        ok: true,
        reproducible: true,
      });
    }
    expect(await scratchFiles(scratchRoot)).toEqual([]);
    expect(liveThreads()).toBe(threadsBefore);
  });
});
