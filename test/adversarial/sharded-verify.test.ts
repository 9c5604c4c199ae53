import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch } from '../../functions/adapters/local/fs-scratch.js';
import { call } from '../reliability/support/call.js';
import { createHarness, type Harness } from '../reliability/support/harness.js';
import { csv, freezeAnswer, upload } from '../reliability/support/seed.js';

/**
 * A dataset past the worker's budget is frozen in shards, each shard held to the budget. verify
 * (functions/jobs/verify.ts) rebuilds every manifest with the one-process engine, reading the
 * whole dataset at once, so a manifest the service froze within its limits can't be verified
 * within them: here the decoded-size limit that bounds one shard refuses the whole dataset,
 * and on a real worker the same read is what the budget exists to prevent.
 */

const ratios = { train: 0.7, validation: 0.15, test: 0.15 };

describe('verify of a manifest frozen in shards', () => {
  let h: Harness;
  let scratchRoot: string;
  let scratch: Awaited<ReturnType<typeof openScratch>>;
  beforeAll(async () => {
    scratchRoot = await mkdtemp(join(tmpdir(), 'splitvault-scratch-'));
    scratch = await openScratch(scratchRoot);
    h = await createHarness('embedded', {
      sharding: { workerMemory: 256 * 1024, scratch },
      maxDecodedBytes: 256 * 1024,
    });
  });
  afterAll(async () => {
    await h?.close();
    await scratch?.dispose();
    await rm(scratchRoot, { recursive: true, force: true });
  });

  it('reproduces the manifest within the limits the freeze kept', async () => {
    const data = csv(20_000, 5);
    expect(data.bytes.byteLength * 4).toBeGreaterThan(256 * 1024);
    await upload(h, data);
    const frozen = await freezeAnswer(h, data.sha256, { strategy: 'random', seed: 3, ratios });
    expect(frozen.status, JSON.stringify(frozen.json)).toBeLessThan(300);
    const id = frozen.json.manifest.id as string;
    const answer = await call(h, 'POST', `/v1/splits/${id}/verify?wait=30`);
    const job = answer.json.job;
    expect(job.error ?? job.problem, JSON.stringify(job)).toBeUndefined();
    expect(job.result).toMatchObject({ ok: true });
  });
});
