/**
 * The worker Lambda: runs one freeze or verify job per async invocation. It carries the
 * engine (Arrow, the parsers) so the API function doesn't have to.
 */
import * as z from 'zod';
import type { Job } from '../../schemas/records.js';
import { type Config, loadConfig } from '../config.js';
import type { JobDeps } from '../jobs/job-deps.js';
import { ATTEMPTS_EXHAUSTED } from '../jobs/job-lease.js';
import { runJob } from '../jobs/run-job.js';
import { createAwsBackend } from './aws-backend.js';
import { leaseFromConfig } from './job-settings.js';
import { serviceEnvironment } from './service-environment.js';

const WorkerEvent = z.object({ jobId: z.string().min(1).max(128) });

/**
 * Lambda delivers an async event at most 1 + retryAttempts times (2 retries by default, about
 * 1 and 2 minutes apart). With two runs allowed, the third delivery finds the budget spent,
 * fails the job and fails itself, so the event reaches the failure destination. Set
 * SPLITVAULT_JOB_MAX_ATTEMPTS to the function's retryAttempts when that changes.
 */
export const WORKER_MAX_ATTEMPTS = 2;

/** Thrown for a job whose runs kept dying: the invocation fails so Lambda's failure destination gets it. */
export class JobAbandonedError extends Error {
  readonly jobId: string;

  constructor(job: Job) {
    super(`job ${job.id} failed: ${job.problem?.detail ?? ATTEMPTS_EXHAUSTED}`);
    this.name = 'JobAbandonedError';
    this.jobId = job.id;
  }
}

/**
 * A handler over given deps (tests call it directly with the API's event). Every delivery of
 * an abandoned job's event fails, so whichever delivery is Lambda's last lands in the
 * failure destination; other finished jobs answer their state.
 */
export function createWorkerHandler(deps: JobDeps): (event: unknown) => Promise<Pick<Job, 'id' | 'state'>> {
  return async (event) => {
    const { jobId } = WorkerEvent.parse(event);
    const job = await runJob(deps, jobId);
    if (job.state === 'failed' && job.problem?.code === ATTEMPTS_EXHAUSTED) throw new JobAbandonedError(job);
    return { id: job.id, state: job.state };
  };
}

/** Builds the worker's deps from the environment (once per cold start). */
export async function workerDepsFromConfig(config: Config): Promise<JobDeps> {
  const { blobs, lineage } = await createAwsBackend(config);
  return {
    blobs,
    lineage,
    service: serviceEnvironment(config.gitCommit),
    maxDecodedBytes: config.maxDecodedBytes,
    lease: leaseFromConfig(config, WORKER_MAX_ATTEMPTS),
  };
}

let built: Promise<(event: unknown) => Promise<Pick<Job, 'id' | 'state'>>> | undefined;

export async function handler(event: unknown): Promise<Pick<Job, 'id' | 'state'>> {
  // A failed cold start is retried on the next event, not cached.
  built ??= workerDepsFromConfig(loadConfig())
    .then(createWorkerHandler)
    .catch((err: unknown) => {
      built = undefined;
      throw err;
    });
  return (await built)(event);
}
