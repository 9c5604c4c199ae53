/**
 * Lambda's async retries against the worker handler on the emulators, with a clock the test
 * moves: a delivery whose run "dies" after claiming (it hangs forever, as a crashed, timed-out
 * or out-of-memory invocation never answers), then the retries that follow it.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../functions/core/ports.js';
import { createAwsBackend } from '../../functions/handlers/aws-backend.js';
import { createWorkerHandler, JobAbandonedError } from '../../functions/handlers/worker.js';
import type { JobDeps } from '../../functions/jobs/job-deps.js';
import { createQueuedFreeze, csvDataset } from '../api/support/dataset.js';
import { freshAwsConfig } from '../conformance/emulator-env.js';

const data = csvDataset(80, 5);
let stores: Awaited<ReturnType<typeof createAwsBackend>>;
let clock = Date.parse('2030-01-01T00:00:00.000Z');
const now = () => new Date(clock);

beforeAll(async () => {
  stores = await createAwsBackend(await freshAwsConfig('retries'));
  await stores.blobs.put('dataset', data.sha256, data.bytes, data.bytes.byteLength);
  const at = now().toISOString();
  await stores.lineage.registerDataset(
    { sha256: data.sha256, bytes: data.bytes.byteLength, createdAt: at, createdBy: 'tester' },
    {
      id: randomUUID(),
      at,
      actor: 'tester',
      action: 'dataset.register',
      target: `dataset:${data.sha256}`,
      requestId: 'r',
    },
  );
});

/** The worker as deployed (two runs allowed), on the test's clock. */
function deps(blobs: BlobStore = stores.blobs): JobDeps {
  return {
    blobs,
    lineage: stores.lineage,
    service: { service: 'splitvault' },
    now,
    lease: { maxAttempts: 2 },
  };
}

/** Blob reads never answer: the run claims the job, then "dies" without a word. */
function dyingBlobs(): BlobStore {
  return new Proxy(stores.blobs, {
    get: (target, prop) =>
      prop === 'open'
        ? () => new Promise(() => undefined)
        : (Reflect.get(target, prop) as (...a: unknown[]) => unknown).bind(target),
  });
}

const queuedJob = () => createQueuedFreeze(stores.lineage, randomUUID(), data.sha256, now());

/** Starts a delivery that dies after claiming; resolves once its claim is stored. */
async function deliverAndDie(jobId: string): Promise<void> {
  const before = (await stores.lineage.getJob(jobId))?.attempts ?? 0;
  void createWorkerHandler(deps(dyingBlobs()))({ jobId });
  for (;;) {
    const job = await stores.lineage.getJob(jobId);
    if (job?.state === 'running' && (job.attempts ?? 0) > before) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Lambda retries of a worker invocation', () => {
  it('reruns a job whose first run died once a retry finds its lease expired', async () => {
    const jobId = await queuedJob();
    await deliverAndDie(jobId);
    clock += 60_000; // Lambda's first retry comes about a minute later; the lease lasts 45 s.
    await expect(createWorkerHandler(deps())({ jobId })).resolves.toEqual({ id: jobId, state: 'succeeded' });
    const job = await stores.lineage.getJob(jobId);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(job?.lease).toBeUndefined();
    expect(await stores.lineage.getManifest(job!.manifestId!)).toBeDefined();
  });

  it('leaves a job alone when a delivery arrives while another run holds a live lease', async () => {
    const jobId = await queuedJob();
    await deliverAndDie(jobId);
    const held = await stores.lineage.getJob(jobId);
    clock += 10_000;
    await expect(createWorkerHandler(deps())({ jobId })).resolves.toEqual({ id: jobId, state: 'running' });
    expect(await stores.lineage.getJob(jobId)).toEqual(held);
  });

  it('fails a job whose runs keep dying with JOB.ATTEMPTS_EXHAUSTED and fails every later delivery', async () => {
    const jobId = await queuedJob();
    await deliverAndDie(jobId);
    clock += 60_000;
    await deliverAndDie(jobId);
    clock += 120_000;
    // The last delivery fails, so Lambda hands the event to the failure destination.
    await expect(createWorkerHandler(deps())({ jobId })).rejects.toBeInstanceOf(JobAbandonedError);
    const job = await stores.lineage.getJob(jobId);
    expect(job).toMatchObject({
      state: 'failed',
      attempts: 2,
      problem: { code: 'JOB.ATTEMPTS_EXHAUSTED', status: 500 },
    });
    expect(job?.lease).toBeUndefined();
    await expect(createWorkerHandler(deps())({ jobId })).rejects.toBeInstanceOf(JobAbandonedError);
    expect(await stores.lineage.getJob(jobId)).toEqual(job);
  });
});
