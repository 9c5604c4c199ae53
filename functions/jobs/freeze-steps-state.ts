/**
 * The job record of a freeze run by the AWS state machine's steps. No single runner holds it
 * for the whole run, so the plan step claims it for the machine (a lease owned by
 * STEPS_OWNER that lasts as long as an execution may), the coordinator steps note progress,
 * and the record or fail step finishes it. Every write is a compare-and-swap on the job's
 * revision, so a step retried after a lost answer can't undo a later step's write, and a
 * finished job is never changed again.
 */
import type { Job, JobProgress } from '../../schemas/records.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import type { JobOutcome } from './execute-job.js';
import type { JobDeps } from './job-deps.js';

/** The lease owner of a job the state machine runs: no worker takes such a job over. */
export const STEPS_OWNER = 'step-functions';

/** How long the machine's claim lasts: an execution's longest run (a Standard one may take a year; ours is capped at a day). */
export const STEPS_LEASE_MS = 24 * 3_600_000;

/** Reads that lose a race to another write before a step gives up on its own. */
const SWAP_ROUNDS = 5;

type StateDeps = Pick<JobDeps, 'lineage' | 'now'>;

async function readJob(deps: StateDeps, jobId: string): Promise<Job> {
  const job = await deps.lineage.getJob(jobId);
  if (!job) throw new NotFoundError('JOB.NOT_FOUND', `no job ${jobId}`);
  return job;
}

const finished = (job: Job) => job.state === 'succeeded' || job.state === 'failed';
const ours = (job: Job) => job.state === 'running' && job.lease?.owner === STEPS_OWNER;

/**
 * Applies `change` to the stored job until the swap lands; `change` answers undefined to leave
 * the job as it is. Answers the job as stored afterwards.
 */
async function swapUntilStored(
  deps: StateDeps,
  jobId: string,
  change: (job: Job, at: string) => Job | undefined,
): Promise<Job> {
  const now = deps.now ?? (() => new Date());
  for (let round = 0; round < SWAP_ROUNDS; round += 1) {
    const job = await readJob(deps, jobId);
    const next = change(job, now().toISOString());
    if (next === undefined) return job;
    const revision = job.revision ?? 0;
    if (await deps.lineage.swapJob({ ...next, revision: revision + 1 }, revision)) {
      return { ...next, revision: revision + 1 };
    }
  }
  throw new ConflictError('JOB.CONTENDED', `job ${jobId} kept changing under the freeze's steps`);
}

/**
 * Claims a queued freeze for the state machine (the plan step). A retried plan finds the job
 * already its own and goes on; a job that finished, or that another runner holds, is refused.
 */
export async function claimForSteps(deps: StateDeps, jobId: string): Promise<Job> {
  const now = deps.now ?? (() => new Date());
  const job = await swapUntilStored(deps, jobId, (current, at) => {
    if (current.state !== 'queued') return undefined;
    return {
      ...current,
      state: 'running',
      updatedAt: at,
      attempts: (current.attempts ?? 0) + 1,
      lease: { owner: STEPS_OWNER, expiresAt: new Date(now().getTime() + STEPS_LEASE_MS).toISOString() },
    };
  });
  if (job.kind !== 'freeze') {
    throw new ConflictError('JOB.NOT_RUNNABLE', `job ${jobId} is a ${job.kind}, not a freeze`);
  }
  if (!ours(job)) {
    throw new ConflictError(
      'JOB.NOT_RUNNABLE',
      `job ${jobId} is ${job.state} and not run by the state machine`,
    );
  }
  return job;
}

/** The job, which must be the machine's running freeze (every step after plan checks this). */
export async function stepsJob(deps: StateDeps, jobId: string): Promise<Job> {
  const job = await readJob(deps, jobId);
  if (!ours(job)) {
    throw new ConflictError(
      'JOB.NOT_RUNNABLE',
      `job ${jobId} is ${job.state} and not run by the state machine`,
    );
  }
  return job;
}

/** Notes where the machine's job is (coordinator steps only: shard steps would contend). */
export async function noteProgress(deps: StateDeps, jobId: string, progress: JobProgress): Promise<void> {
  await swapUntilStored(deps, jobId, (job, at) =>
    ours(job) ? { ...job, progress, updatedAt: at } : undefined,
  );
}

/**
 * Records the outcome of the machine's job, or of a job still queued (a plan that failed before
 * claiming it). A finished job keeps its record (a retried record or fail step), and a job
 * another runner holds is not the machine's to end.
 */
export async function finishSteps(deps: StateDeps, jobId: string, outcome: JobOutcome): Promise<Job> {
  return swapUntilStored(deps, jobId, (job, at) => {
    if (finished(job) || !(job.state === 'queued' || ours(job))) return undefined;
    const { lease: _lease, ...rest } = job;
    return { ...rest, ...outcome, updatedAt: at };
  });
}
