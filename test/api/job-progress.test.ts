import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { threadExecutor } from '../../functions/handlers/thread-executor.js';
import { executeJob } from '../../functions/jobs/execute-job.js';
import { JOB_STAGES, type Job, type JobProgress, type JobStage } from '../../schemas/records.js';
import { call, uploadDataset } from './support/client.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

const data = csvDataset(400, 17);
const harnesses: ApiHarness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

/** Stages in the order they were seen, repeats collapsed. */
const stagesOf = (progress: readonly (JobProgress | undefined)[]): JobStage[] =>
  progress
    .filter((p): p is JobProgress => p !== undefined)
    .map((p) => p.stage)
    .filter((stage, i, all) => all[i - 1] !== stage);

/** True when `seen` is JOB_STAGES with some left out, never out of order. */
const inStageOrder = (seen: readonly JobStage[]) =>
  seen.every((stage, i) => i === 0 || JOB_STAGES.indexOf(stage) > JOB_STAGES.indexOf(seen[i - 1]!));

/** Submits a freeze and polls GET /v1/jobs/{id} until it ends; every polled record. */
async function freezeAndPoll(h: ApiHarness): Promise<Job[]> {
  const submitted = await call(h, 'POST', '/v1/splits', {
    body: { dataset: data.sha256, spec: RANDOM_SPEC },
  });
  expect(submitted.status).toBe(202);
  const polls: Job[] = [];
  for (;;) {
    const polled = await call(h, 'GET', `/v1/jobs/${submitted.json.job.id}`);
    expect(polled.status).toBe(200);
    polls.push(polled.json);
    if (polled.json.state === 'succeeded' || polled.json.state === 'failed') return polls;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function expectStagesInOrder(polls: readonly Job[]): void {
  for (const job of polls)
    if (job.progress) expect(job.progress.done).toBeLessThanOrEqual(job.progress.total);
  expect(inStageOrder(stagesOf(polls.map((job) => job.progress)))).toBe(true);
  expect(polls.at(-1)).toMatchObject({
    state: 'succeeded',
    progress: { stage: 'record', done: 4, total: 4 },
  });
}

describe('job progress', () => {
  it('reports every stage of a freeze in order, and writes the job record at most once per stage', async () => {
    const reported: JobProgress[] = [];
    const h = await embeddedHarness({
      execute: (job, onProgress) =>
        executeJob({ blobs: h.blobs, lineage: h.lineage, service: { service: 'splitvault' } }, job, (p) => {
          reported.push(p);
          onProgress(p);
        }),
    });
    harnesses.push(h);
    await uploadDataset(h, data);
    const swap = vi.spyOn(h.lineage, 'swapJob');
    const polls = await freezeAndPoll(h);
    expect(stagesOf(reported)).toEqual([...JOB_STAGES]);
    for (const p of reported) expect(p.done).toBeLessThanOrEqual(p.total);
    expectStagesInOrder(polls);
    const written = swap.mock.calls.map(([job]) => job.progress);
    expect(inStageOrder(stagesOf(written))).toBe(true);
    // The claim, one write per stage at most (no heartbeat is due this soon), and the outcome.
    expect(swap.mock.calls.length).toBeLessThanOrEqual(1 + JOB_STAGES.length + 1);
  });

  it('shows the stages of a freeze run in a worker thread in its job polls, in order', async () => {
    let close: () => Promise<void> = async () => undefined;
    const h = await embeddedHarness((dataDir) => {
      const threads = threadExecutor({
        config: loadConfig({ SPLITVAULT_DATA_DIR: dataDir }),
        publicBaseUrl: 'http://splitvault.test',
      });
      close = () => threads.close();
      return { execute: threads.execute };
    });
    harnesses.push(h);
    try {
      await uploadDataset(h, data);
      expectStagesInOrder(await freezeAndPoll(h));
    } finally {
      await close();
    }
  });

  it('answers ?wait within the requested time while the freeze still runs, showing its stage', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await embeddedHarness({
      execute: async (job, onProgress) => {
        onProgress({ stage: 'ingest', done: 0, total: data.bytes.byteLength });
        await gate;
        return executeJob(
          { blobs: h.blobs, lineage: h.lineage, service: { service: 'splitvault' } },
          job,
          onProgress,
        );
      },
    });
    harnesses.push(h);
    await uploadDataset(h, data);
    const answer = await call(h, 'POST', '/v1/splits?wait=1', {
      body: { dataset: data.sha256, spec: RANDOM_SPEC },
    });
    release();
    expect(answer.status).toBe(202);
    expect(answer.json.job).toMatchObject({
      state: 'running',
      progress: { stage: 'ingest', done: 0, total: data.bytes.byteLength },
    });
  });
});
