/**
 * The last steps: record (the lineage transaction every freeze ends with, freeze-record.ts)
 * and fail (the job failed with the caught error's problem). Both leave a finished job as it
 * is, so a retried step, or a fail after a record that landed, changes nothing.
 */
import type { Manifest } from '../../schemas/manifest.js';
import { recordFreeze } from './freeze-record.js';
import type { CaughtError } from './freeze-step-error.js';
import { problemOfCaught } from './freeze-step-error.js';
import type { FreezeStepDeps } from './freeze-steps-job.js';
import { finishSteps, noteProgress, stepsJob } from './freeze-steps-state.js';
import { FreezeWork } from './freeze-work.js';
import { FreezeJobInput } from './job-input.js';

export async function recordStep(deps: FreezeStepDeps, jobId: string, key: string) {
  const current = await deps.lineage.getJob(jobId);
  if (current?.state === 'succeeded') return { jobId };
  const job = await stepsJob(deps, jobId);
  const input = FreezeJobInput.parse(job.input);
  const manifest = await new FreezeWork(deps.work, jobId, key).get<Manifest>('combine');
  const { created } = await recordFreeze(deps, manifest, input, { jobId, actor: job.actor });
  // Three split files and the manifest's transaction, as the one-process job counts them.
  await noteProgress(deps, jobId, { stage: 'record', done: 4, total: 4 });
  await finishSteps(deps, jobId, { state: 'succeeded', manifestId: manifest.id, result: { created } });
  return { jobId };
}

export async function failStep(deps: FreezeStepDeps, jobId: string, caught: CaughtError) {
  const problem = problemOfCaught(caught);
  if (problem.status >= 500) {
    (deps.log ?? ((line) => console.error(JSON.stringify(line))))({
      level: 'error',
      jobId,
      error: caught.Error ?? 'unknown',
      message: (problem.detail ?? '').slice(0, 500),
    });
  }
  await finishSteps(deps, jobId, { state: 'failed', problem });
  return { jobId };
}
