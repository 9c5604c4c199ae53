import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerHandler } from '../../functions/handlers/worker.js';
import { runJob } from '../../functions/jobs/run-job.js';
import type { Job } from '../../schemas/records.js';
import { uploadDataset } from './support/client.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

let h: ApiHarness;
const data = csvDataset(50, 9);
beforeAll(async () => {
  h = await embeddedHarness();
  await uploadDataset(h, data);
});
afterAll(async () => h?.close());

function job(id: string, state: Job['state'], updatedAt: Date): Job {
  const at = updatedAt.toISOString();
  return {
    id,
    kind: 'freeze',
    state,
    createdAt: at,
    updatedAt: at,
    actor: 'tester',
    input: { dataset: data.sha256, spec: { ...RANDOM_SPEC, shuffle: false }, requestId: 'req-1' },
  };
}

const deps = () => ({ blobs: h.blobs, lineage: h.lineage, service: { service: 'splitvault' } });

describe('running jobs', () => {
  it.each([
    ['a queued job', 'queued', 0, 'succeeded'],
    ['a job left running by a worker that timed out', 'running', 20 * 60_000, 'succeeded'],
    ['a job another worker is running now', 'running', 1_000, 'running'],
  ] as const)('given %s, ends %s', async (_case, state, ageMs, expected) => {
    const id = `job-${state}-${ageMs}`;
    await h.lineage.createJob(job(id, state, new Date(Date.now() - ageMs)));
    const after = await runJob(deps(), id);
    expect(after.state).toBe(expected);
    expect((await h.lineage.getJob(id))?.state).toBe(expected);
  });

  it('does not run a finished job again', async () => {
    await h.lineage.createJob(job('job-twice', 'queued', new Date()));
    const first = await runJob(deps(), 'job-twice');
    const eventsAfterFirst = (await h.lineage.listFreezeEvents(first.manifestId!)).length;
    const second = await runJob(deps(), 'job-twice');
    expect(second).toEqual(first);
    expect(await h.lineage.listFreezeEvents(first.manifestId!)).toHaveLength(eventsAfterFirst);
  });

  it('refuses a worker event without a job id', async () => {
    await expect(createWorkerHandler(deps())({ job: 'x' })).rejects.toThrow(/jobId/);
  });
});
