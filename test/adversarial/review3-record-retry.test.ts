/**
 * The record step of the AWS freeze's steps retried after its lineage transaction landed but
 * before the job was finished: the machine retries BACKEND.UNAVAILABLE (a DynamoDB throttle on
 * the job write), and freeze-steps-record.ts promises a retried step changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../functions/core/errors.js';
import type { LineageStore } from '../../functions/core/ports.js';
import { runFreezeStep } from '../../functions/jobs/freeze-steps-job.js';
import type { Job } from '../../schemas/records.js';
import {
  embeddedStepBackend,
  type FreezeStepBackend,
  seedFreezeJob,
} from '../conformance/freeze-steps-backends.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

function csvRows(rows: number): Uint8Array {
  const lines = ['id,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},c${i % 4}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** The lineage store whose first job write that would finish the job is throttled. */
function throttledFinish(lineage: LineageStore): LineageStore {
  let thrown = false;
  return new Proxy(lineage, {
    get(target, key, receiver) {
      if (key === 'swapJob') {
        return async (job: Job, revision: number) => {
          if (!thrown && job.state === 'succeeded') {
            thrown = true;
            throw new BackendUnavailableError('throttled');
          }
          return target.swapJob(job, revision);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
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
    const { jobId } = await seedFreezeJob(deps, [csvRows(2000)], { strategy: 'random', seed: 7, ratios });
    const plan = (await runFreezeStep(deps, { phase: 'plan', jobId })) as { shards: number };
    for (const phase of ['scan', 'merge', 'summarize', 'assign', 'write'] as const) {
      if (phase === 'merge' || phase === 'assign') await runFreezeStep(deps, { phase, jobId });
      else
        for (let shard = 0; shard < plan.shards; shard++) await runFreezeStep(deps, { phase, jobId, shard });
    }
    for (const split of ['train', 'validation', 'test'] as const)
      await runFreezeStep(deps, { phase: 'combine', jobId, split });
    await runFreezeStep(deps, { phase: 'manifest', jobId });
    // First attempt: the transaction lands, the job write is throttled; the machine retries.
    await expect(
      runFreezeStep({ ...deps, lineage: throttledFinish(deps.lineage) }, { phase: 'record', jobId }),
    ).rejects.toMatchObject({ name: 'BACKEND.UNAVAILABLE' });
    await runFreezeStep(deps, { phase: 'record', jobId });

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
