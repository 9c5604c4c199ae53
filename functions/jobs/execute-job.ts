import type { Job, JobProgress, Problem } from '../../schemas/records.js';
import { toProblem } from '../api/problem.js';
import { SplitvaultError } from '../core/errors.js';
import { freeze } from './freeze.js';
import type { JobDeps } from './job-deps.js';
import { FreezeJobInput, VerifyJobInput } from './job-input.js';
import { verify } from './verify.js';

/** How a job's work ended; plain data, so a worker thread can post it back. */
export type JobOutcome =
  | {
      readonly state: 'succeeded';
      readonly manifestId: string;
      readonly result: Readonly<Record<string, unknown>>;
    }
  | { readonly state: 'failed'; readonly problem: Problem };

/**
 * Does a job's work (the freeze or the verify) and turns any failure into the problem the
 * job will carry. It never writes the job record: the runner holding the lease does, and
 * `onProgress` hears each stage so the runner can record where the job is.
 */
export async function executeJob(
  deps: JobDeps,
  job: Job,
  onProgress?: (progress: JobProgress) => void,
): Promise<JobOutcome> {
  const context = { jobId: job.id, actor: job.actor, ...(onProgress ? { onProgress } : {}) };
  try {
    if (job.kind === 'freeze') {
      const outcome = await freeze(deps, FreezeJobInput.parse(job.input), context);
      return { state: 'succeeded', manifestId: outcome.manifestId, result: { created: outcome.created } };
    }
    const input = VerifyJobInput.parse(job.input);
    const result = await verify(deps, input, context);
    return { state: 'succeeded', manifestId: input.manifestId, result };
  } catch (err) {
    if (!(err instanceof SplitvaultError) || err.kind === 'integrity' || err.kind === 'unavailable') {
      (deps.log ?? ((line) => console.error(JSON.stringify(line))))({
        level: 'error',
        jobId: job.id,
        error: err instanceof Error ? err.name : 'unknown',
        message: err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500),
      });
    }
    return { state: 'failed', problem: toProblem(err) };
  }
}
