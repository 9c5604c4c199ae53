import type { Job, Problem } from '../../schemas/records.js';

/** How long a runner's claim on a job lasts and how it is kept alive. */
export interface LeaseOptions {
  /**
   * How long a claim lasts without a heartbeat. Shorter than Lambda's first async retry
   * (about a minute), so a retry after a crash, timeout or out-of-memory finds it expired.
   * @default 45_000
   */
  readonly leaseMs: number;
  /** How often the runner renews its lease; well inside leaseMs. @default 15_000 */
  readonly heartbeatMs: number;
  /** Runs started before a job whose runner keeps dying is failed instead. @default 3 */
  readonly maxAttempts: number;
  /** Tries at recording a job's outcome before leaving it to lease expiry. @default 5 */
  readonly finishAttempts: number;
  /** First pause between those tries; doubled each time. @default 250 */
  readonly finishBackoffMs: number;
}

export const DEFAULT_LEASE: LeaseOptions = {
  leaseMs: 45_000,
  heartbeatMs: 15_000,
  maxAttempts: 3,
  finishAttempts: 5,
  finishBackoffMs: 250,
};

/** The problem code of a job failed because its runs kept dying. */
export const ATTEMPTS_EXHAUSTED = 'JOB.ATTEMPTS_EXHAUSTED';

/**
 * When the job's runner stops counting as alive. A record written before leases existed
 * has none: its last update stands in for the claim.
 */
export function leaseExpiresAt(job: Job, leaseMs: number): number {
  return job.lease ? Date.parse(job.lease.expiresAt) : Date.parse(job.updatedAt) + leaseMs;
}

export type NextStep =
  | { readonly kind: 'leave' }
  | { readonly kind: 'claim'; readonly job: Job }
  | { readonly kind: 'abandon'; readonly job: Job };

/**
 * What a runner that has just read `job` does: leave it (finished, or another runner's lease
 * is live), claim it (queued, or its runner died), or fail it (its runs died too often).
 */
export function nextStep(job: Job, owner: string, at: Date, options: LeaseOptions): NextStep {
  if (job.state === 'succeeded' || job.state === 'failed') return { kind: 'leave' };
  if (job.state === 'running' && leaseExpiresAt(job, options.leaseMs) > at.getTime())
    return { kind: 'leave' };
  const attempts = job.attempts ?? 0;
  const revision = (job.revision ?? 0) + 1;
  const updatedAt = at.toISOString();
  if (attempts >= options.maxAttempts) {
    const { lease: _lease, ...rest } = job;
    return {
      kind: 'abandon',
      job: { ...rest, state: 'failed', updatedAt, revision, problem: attemptsExhausted(job, attempts) },
    };
  }
  const expiresAt = new Date(at.getTime() + options.leaseMs).toISOString();
  return {
    kind: 'claim',
    job: {
      ...job,
      state: 'running',
      updatedAt,
      revision,
      attempts: attempts + 1,
      lease: { owner, expiresAt },
    },
  };
}

function attemptsExhausted(job: Job, attempts: number): Problem {
  return {
    type: `urn:splitvault:problem:${ATTEMPTS_EXHAUSTED}`,
    title: 'Internal Server Error',
    status: 500,
    code: ATTEMPTS_EXHAUSTED,
    detail: `job ${job.id} was started ${attempts} times and its runner stopped each time (crash, timeout or out of memory) before finishing`,
  };
}
