import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../functions/core/errors.js';
import type { LineageStore } from '../../functions/core/ports.js';
import type { JobDeps } from '../../functions/jobs/job-deps.js';
import { runJob } from '../../functions/jobs/run-job.js';
import type { Job } from '../../schemas/records.js';
import { uploadDataset } from './support/client.js';
import { createQueuedFreeze, csvDataset } from './support/dataset.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

let h: ApiHarness;
const data = csvDataset(40, 4);
beforeAll(async () => {
  h = await embeddedHarness();
  await uploadDataset(h, data);
});
afterAll(async () => h?.close());

let clock = Date.parse('2031-06-01T00:00:00.000Z');
const now = () => new Date(clock);

const queued = (id: string) => createQueuedFreeze(h.lineage, id, data.sha256, now());

/** The store, except that writes of a finished job fail `times` times (as an outage would). */
function failingFinish(times: number): LineageStore {
  let left = times;
  return new Proxy(h.lineage, {
    get: (target, prop) => {
      const value = (Reflect.get(target, prop) as (...a: unknown[]) => unknown).bind(target);
      if (prop !== 'swapJob') return value;
      return async (job: Job, expected: number) => {
        if (job.state !== 'running' && left > 0) {
          left -= 1;
          throw new BackendUnavailableError('injected: the final write failed');
        }
        return value(job, expected);
      };
    },
  });
}

const deps = (lineage: LineageStore = h.lineage): JobDeps => ({
  blobs: h.blobs,
  lineage,
  service: { service: 'splitvault' },
  now,
  log: () => undefined,
  lease: { finishBackoffMs: 1, heartbeatMs: 5 },
});

describe('a job run under a lease', () => {
  it('records the outcome after the store refused the final write a few times', async () => {
    const id = await queued('job-final-retried');
    const done = await runJob(deps(failingFinish(3)), id);
    expect(done.state).toBe('succeeded');
    expect(await h.lineage.getJob(id)).toEqual(done);
  });

  it('leaves a job whose final write keeps failing running only until its lease expires', async () => {
    const id = await queued('job-final-lost');
    await expect(runJob(deps(failingFinish(100)), id)).rejects.toMatchObject({ code: 'BACKEND.UNAVAILABLE' });
    expect(await h.lineage.getJob(id)).toMatchObject({ state: 'running', attempts: 1 });
    clock += 46_000;
    const rerun = await runJob(deps(), id);
    expect(rerun).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('fails a job whose runner died three times with JOB.ATTEMPTS_EXHAUSTED on the next start', async () => {
    const id = await queued('job-exhausted');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      // Each run claims the job and then dies: no heartbeat, and its work never answers.
      const dead = { ...deps(), lease: { heartbeatMs: 3_600_000 } };
      void runJob(dead, id, { execute: () => new Promise(() => undefined) });
      for (;;) {
        if ((await h.lineage.getJob(id))?.attempts === attempt) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      clock += 46_000;
    }
    const failed = await runJob(deps(), id);
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 3,
      problem: { code: 'JOB.ATTEMPTS_EXHAUSTED' },
    });
    expect(failed.lease).toBeUndefined();
    expect(await h.lineage.getJob(id)).toEqual(failed);
  });

  it('renews its lease on a heartbeat while the work runs', async () => {
    const id = await queued('job-heartbeat');
    let claimed: Job | undefined;
    const done = await runJob(deps(), id, {
      execute: async (job) => {
        claimed = job;
        // Wait for a few beats to land, then finish.
        for (;;) {
          const stored = await h.lineage.getJob(id);
          if ((stored?.revision ?? 0) >= (job.revision ?? 0) + 3) break;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return { state: 'succeeded', manifestId: 'a'.repeat(64), result: {} };
      },
    });
    expect(done.state).toBe('succeeded');
    expect(done.revision).toBeGreaterThanOrEqual((claimed?.revision ?? 0) + 4);
  });

  it('does not overwrite the record of a runner that took the job over', async () => {
    const id = await queued('job-taken-over');
    const done = await runJob(deps(), id, {
      execute: async (job) => {
        // Another runner finds the lease expired (this one looked dead) and claims the job.
        clock += 46_000;
        await h.lineage.swapJob(
          {
            ...job,
            attempts: 2,
            lease: { owner: 'other', expiresAt: new Date(clock + 45_000).toISOString() },
            revision: (job.revision ?? 0) + 1,
          },
          job.revision ?? 0,
        );
        return { state: 'failed', problem: { type: 'x', title: 'x', status: 500, code: 'X' } };
      },
    });
    expect(done).toMatchObject({ state: 'running', lease: { owner: 'other' } });
    expect(await h.lineage.getJob(id)).toEqual(done);
  });
});
