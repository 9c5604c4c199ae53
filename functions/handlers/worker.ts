/**
 * The worker Lambda: runs one freeze or verify job per async invocation. It carries the
 * engine (Arrow, the parsers) so the API function doesn't have to. It is also where the jobs'
 * metrics and traces are made: functions/jobs stays free of observability code.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import * as z from 'zod';
import type { Job } from '../../schemas/records.js';
import { type Config, loadConfig } from '../config.js';
import type { JobDeps } from '../jobs/job-deps.js';
import { ATTEMPTS_EXHAUSTED } from '../jobs/job-lease.js';
import { runJob } from '../jobs/run-job.js';
import { createAwsBackend } from './aws-backend.js';
import { recordJobMetrics } from './job-metrics.js';
import { leaseFromConfig } from './job-settings.js';
import { traceJob } from './job-trace.js';
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

/** The job deps plus the worker's own observers; without them the worker only runs jobs. */
export interface WorkerDeps extends JobDeps {
  /** Where job metrics go; flushed at the end of every invocation. @default no metrics */
  readonly metrics?: Metrics;
  /** @default no traces */
  readonly tracer?: Tracer;
}

/**
 * A handler over given deps (tests call it directly with the API's event). Every delivery of
 * an abandoned job's event fails, so whichever delivery is Lambda's last lands in the
 * failure destination; other finished jobs answer their state.
 */
export function createWorkerHandler(
  deps: WorkerDeps,
): (event: unknown) => Promise<Pick<Job, 'id' | 'state'>> {
  return async (event) => {
    const { jobId } = WorkerEvent.parse(event);
    const run = () => (deps.metrics ? runMeasured(deps, deps.metrics, jobId) : runJob(deps, jobId));
    const job = await (deps.tracer ? traceJob(deps.tracer, jobId, run) : run());
    if (job.state === 'failed' && job.problem?.code === ATTEMPTS_EXHAUSTED) throw new JobAbandonedError(job);
    return { id: job.id, state: job.state };
  };
}

/**
 * Runs the job between two reads of it, so the metrics can tell a first run from a retry or
 * a stuck job. The extra GetItem is small next to any freeze or verify.
 */
async function runMeasured(deps: WorkerDeps, metrics: Metrics, jobId: string): Promise<Job> {
  const before = await deps.lineage.getJob(jobId);
  const started = performance.now();
  try {
    const after = await runJob(deps, jobId);
    const durationMs = Math.round(performance.now() - started);
    const froze = after.kind === 'freeze' && after.state === 'succeeded' && after.manifestId !== undefined;
    // The job is done whatever this read does: a failure here only leaves the bytes out.
    const manifest = froze
      ? await deps.lineage.getManifest(after.manifestId!).catch(() => undefined)
      : undefined;
    const datasetBytes = manifest?.dataset.bytes;
    recordJobMetrics(metrics, { before, after, durationMs, datasetBytes });
    return after;
  } finally {
    // A duplicate delivery records nothing, and Powertools warns about an empty flush.
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}

/** Builds the worker's deps from the environment (once per cold start). */
export async function workerDepsFromConfig(config: Config): Promise<WorkerDeps> {
  // Both read Powertools' own variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_TRACE_ENABLED).
  // The tracer is off outside Lambda; SDK calls get subsegments through the clients, so
  // Node's http module is not patched as well.
  const tracer = new Tracer({ captureHTTPsRequests: false });
  const metrics = config.metricsNamespace ? new Metrics({ namespace: config.metricsNamespace }) : undefined;
  const { blobs, lineage } = await createAwsBackend(config, undefined, (client) =>
    tracer.captureAWSv3Client(client),
  );
  return {
    blobs,
    lineage,
    service: serviceEnvironment(config.gitCommit),
    maxDecodedBytes: config.maxDecodedBytes,
    lease: leaseFromConfig(config, WORKER_MAX_ATTEMPTS),
    metrics,
    tracer,
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
