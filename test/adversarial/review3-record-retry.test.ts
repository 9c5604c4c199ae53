/**
 * The record step of the AWS freeze's steps retried after its lineage transaction landed but
 * before the job was finished: the machine retries BACKEND.UNAVAILABLE (a DynamoDB throttle on
 * the job write), and freeze-steps-record.ts promises a retried step changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LineageStore } from '../../functions/core/ports.js';
import { runFreezeStep } from '../../functions/jobs/freeze-steps-job.js';
import {
  embeddedStepBackend,
  type FreezeStepBackend,
  seedFreezeJob,
} from '../conformance/freeze-steps-backends.js';
import { labelledCsv, runStepsThrough, throttleJobWrites } from './support/freeze-steps.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

/** The lineage store whose first job write that would finish the job is throttled. */
function throttledFinish(lineage: LineageStore): LineageStore {
  let thrown = false;
  return throttleJobWrites(lineage, (job) => {
    if (thrown || job.state !== 'succeeded') return false;
    thrown = true;
    return true;
  });
}

describe('a retried record step of the freeze state machine', () => {
  let backend: FreezeStepBackend;
  beforeEach(async () => {
    backend = await embeddedStepBackend();
  });
  afterEach(async () => {
    await backend.close();
  });

  it('reports the manifest as created by the job and records one freeze event and one audit entry', async () => {
    const deps = backend.deps;
    const { jobId } = await seedFreezeJob(deps, [labelledCsv(2000)], { strategy: 'random', seed: 7, ratios });
    const { key } = await runStepsThrough(deps, jobId, 'manifest');
    // First attempt: the transaction lands, the job write is throttled; the machine retries.
    await expect(
      runFreezeStep({ ...deps, lineage: throttledFinish(deps.lineage) }, { phase: 'record', jobId, key }),
    ).rejects.toMatchObject({ name: 'BACKEND.UNAVAILABLE' });
    await runFreezeStep(deps, { phase: 'record', jobId, key });

    const job = await deps.lineage.getJob(jobId);
    expect(job?.state).toBe('succeeded');
    const manifestId = job!.manifestId!;
    const audit = await deps.lineage.listAudit({ target: `split:${manifestId}` }, { limit: 50 });
    const events = await deps.lineage.listFreezeEvents(manifestId);
    expect({
      created: (job?.result as { created?: boolean } | undefined)?.created,
      freezeEvents: events.length,
      freezeAudits: audit.items.filter((entry) => entry.action === 'split.freeze').length,
    }).toEqual({ created: true, freezeEvents: 1, freezeAudits: 1 });
  });
});
