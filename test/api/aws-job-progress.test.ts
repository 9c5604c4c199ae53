import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorkerHandler } from '../../functions/handlers/worker.js';
import { JOB_STAGES, type Job, type JobStage } from '../../schemas/records.js';
import { call, uploadDataset } from './support/client.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';
import { type ApiHarness, awsHarness } from './support/harness.js';

// Runs against versitygw + moto: bash scripts/with-emulators.sh npx vitest run test/api
let h: ApiHarness;
const data = csvDataset(300, 23);
beforeAll(async () => {
  h = await awsHarness();
  await uploadDataset(h, data);
});
afterAll(async () => h?.close());

describe('job progress on the AWS worker', () => {
  it('writes a freeze run by the worker handler through its stages in order into the DynamoDB job record', async () => {
    const at = new Date().toISOString();
    const job: Job = {
      id: 'progress-on-lambda',
      kind: 'freeze',
      state: 'queued',
      createdAt: at,
      updatedAt: at,
      actor: 'bob',
      input: { dataset: data.sha256, spec: RANDOM_SPEC, requestId: 'req-progress' },
    };
    await h.lineage.createJob(job);
    const swap = vi.spyOn(h.lineage, 'swapJob');
    const handler = createWorkerHandler({
      blobs: h.blobs,
      lineage: h.lineage,
      service: { service: 'splitvault' },
    });
    await expect(handler({ jobId: job.id })).resolves.toEqual({ id: job.id, state: 'succeeded' });
    const stages = swap.mock.calls
      .map(([written]) => written.progress?.stage)
      .filter((stage): stage is JobStage => stage !== undefined)
      .filter((stage, i, all) => all[i - 1] !== stage);
    expect(stages.length).toBeGreaterThan(0);
    expect(stages.map((stage) => JOB_STAGES.indexOf(stage))).toEqual(
      [...stages.map((stage) => JOB_STAGES.indexOf(stage))].sort((a, b) => a - b),
    );
    expect(swap.mock.calls.length).toBeLessThanOrEqual(1 + JOB_STAGES.length + 1);
    const polled = await call(h, 'GET', `/v1/jobs/${job.id}`);
    expect(polled.json).toMatchObject({
      state: 'succeeded',
      progress: { stage: 'record', done: 4, total: 4 },
    });
  });
});
