/**
 * The one-process freeze job shares the record with the state machine's record step
 * (freeze-record.ts): a job run again after its lineage transaction landed (its runner died
 * before finishing the job, and another took it over) records nothing more.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freeze } from '../../functions/jobs/freeze.js';
import { FreezeJobInput } from '../../functions/jobs/job-input.js';
import {
  embeddedStepBackend,
  type FreezeStepBackend,
  seedFreezeJob,
} from '../conformance/freeze-steps-backends.js';

const spec = { strategy: 'random', seed: 7, ratios: { train: 0.6, validation: 0.2, test: 0.2 } };

function csvRows(rows: number): Uint8Array {
  const lines = ['id,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},c${i % 4}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

describe('the record of a one-process freeze job', () => {
  let backend: FreezeStepBackend;
  beforeEach(async () => {
    backend = await embeddedStepBackend();
  });
  afterEach(async () => {
    await backend.close();
  });

  it('records one freeze event and audit entry, and answers created again, when the same job runs twice', async () => {
    // A clock that moves a second a reading: every freeze event of the manifest is its own.
    let tick = Date.parse('2026-01-01T00:00:00Z');
    const now = () => {
      tick += 1000;
      return new Date(tick);
    };
    const deps = { ...backend.deps, now };
    const { jobId } = await seedFreezeJob(deps, [csvRows(500)], spec);
    const input = FreezeJobInput.parse((await deps.lineage.getJob(jobId))!.input);
    const first = await freeze(deps, input, { jobId, actor: 'alice' });
    const again = await freeze(deps, input, { jobId, actor: 'alice' });
    // Another job freezing the same dataset and spec is a second freeze of it.
    const other = await freeze(deps, input, { jobId: 'another-job', actor: 'bob' });
    const audit = await deps.lineage.listAudit({ target: `split:${first.manifestId}` }, { limit: 50 });
    expect({
      answers: [first.created, again.created, other.created],
      events: (await deps.lineage.listFreezeEvents(first.manifestId)).length,
      audits: audit.items.filter((entry) => entry.action === 'split.freeze').length,
    }).toEqual({ answers: [true, true, false], events: 2, audits: 2 });
  });
});
