import type { Job } from '../../schemas/records.js';
import { toProblem } from '../api/problem.js';
import { NotFoundError, SplitvaultError } from '../core/errors.js';
import { freeze } from './freeze.js';
import type { JobDeps } from './job-deps.js';
import { FreezeJobInput, VerifyJobInput } from './job-input.js';
import { verify } from './verify.js';

/**
 * A job still "running" this long after it started outlived the worker's 15-minute timeout:
 * the earlier attempt is dead, so a retried delivery may run it again.
 */
const STALE_RUNNING_MS = 16 * 60 * 1000;

function startable(job: Job, at: Date): boolean {
  if (job.state === 'queued') return true;
  return job.state === 'running' && at.getTime() - Date.parse(job.updatedAt) > STALE_RUNNING_MS;
}

/**
 * Runs one queued job to completion and records the outcome on the job. Only a queued (or
 * abandoned) job is started, so a duplicate delivery of the async event does not run it twice.
 */
export async function runJob(deps: JobDeps, jobId: string): Promise<Job> {
  const now = deps.now ?? (() => new Date());
  const job = await deps.lineage.getJob(jobId);
  if (!job) throw new NotFoundError('JOB.NOT_FOUND', `no job ${jobId}`);
  if (!startable(job, now())) return job;
  const running: Job = { ...job, state: 'running', updatedAt: now().toISOString() };
  await deps.lineage.updateJob(running);
  const context = { jobId: job.id, actor: job.actor };
  let finished: Job;
  try {
    if (job.kind === 'freeze') {
      const outcome = await freeze(deps, FreezeJobInput.parse(job.input), context);
      finished = {
        ...running,
        state: 'succeeded',
        manifestId: outcome.manifestId,
        result: { created: outcome.created },
      };
    } else {
      const input = VerifyJobInput.parse(job.input);
      const result = await verify(deps, input, context);
      finished = { ...running, state: 'succeeded', manifestId: input.manifestId, result };
    }
  } catch (err) {
    if (!(err instanceof SplitvaultError) || err.kind === 'integrity' || err.kind === 'unavailable') {
      (deps.log ?? ((line) => console.error(JSON.stringify(line))))({
        level: 'error',
        jobId,
        error: err instanceof Error ? err.name : 'unknown',
        message: err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500),
      });
    }
    finished = { ...running, state: 'failed', problem: toProblem(err) };
  }
  const done = { ...finished, updatedAt: now().toISOString() };
  await deps.lineage.updateJob(done);
  return done;
}
