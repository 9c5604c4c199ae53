/**
 * The worker Lambda: runs one freeze or verify job per async invocation. It carries the
 * engine (Arrow, the parsers) so the API function doesn't have to.
 */
import * as z from 'zod';
import type { Job } from '../../schemas/records.js';
import { type Config, loadConfig } from '../config.js';
import type { JobDeps } from '../jobs/job-deps.js';
import { runJob } from '../jobs/run-job.js';
import { createAwsBackend } from './aws-backend.js';
import { serviceEnvironment } from './service-environment.js';

const WorkerEvent = z.object({ jobId: z.string().min(1).max(128) });

/** A handler over given deps (tests call it directly with the API's event). */
export function createWorkerHandler(deps: JobDeps): (event: unknown) => Promise<Pick<Job, 'id' | 'state'>> {
  return async (event) => {
    const { jobId } = WorkerEvent.parse(event);
    const job = await runJob(deps, jobId);
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
