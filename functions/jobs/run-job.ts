import { randomUUID } from 'node:crypto';
import type { Job, JobProgress } from '../../schemas/records.js';
import { NotFoundError } from '../core/errors.js';
import type { JobStore } from '../core/ports.js';
import type { JobOutcome } from './execute-job.js';
import type { JobDeps } from './job-deps.js';
import { DEFAULT_LEASE, type LeaseOptions, nextStep } from './job-lease.js';

export interface RunJobOptions {
  /**
   * Does the claimed job's work, telling `onProgress` where it is.
   * @default executeJob in this thread, on `deps`
   */
  readonly execute?: (job: Job, onProgress: (progress: JobProgress) => void) => Promise<JobOutcome>;
}

/** Reads a runner makes when its claim loses a race; the winner's write decides the next step. */
const CLAIM_ROUNDS = 3;

/**
 * Runs one job to completion under a lease and records the outcome. A job is started only
 * when it is queued or its last runner's lease expired, so a duplicate delivery while a live
 * runner holds it does nothing; once `maxAttempts` runs have died it is failed instead.
 * Returns the job as last stored.
 */
export async function runJob(deps: JobDeps, jobId: string, options: RunJobOptions = {}): Promise<Job> {
  const now = deps.now ?? (() => new Date());
  const lease: LeaseOptions = { ...DEFAULT_LEASE, ...deps.lease };
  const owner = randomUUID();
  const store = deps.lineage;
  for (let round = 0; round < CLAIM_ROUNDS; round += 1) {
    const job = await store.getJob(jobId);
    if (!job) throw new NotFoundError('JOB.NOT_FOUND', `no job ${jobId}`);
    const step = nextStep(job, owner, now(), lease);
    if (step.kind === 'leave') return job;
    if (!(await swapOrCheck(store, step.job, job.revision ?? 0))) continue;
    if (step.kind === 'abandon') return step.job;
    const holder = new LeaseHolder(store, step.job, now, lease, deps.log);
    let outcome: JobOutcome;
    try {
      outcome = await (options.execute ?? inThisThread(deps))(step.job, (progress) =>
        holder.progress(progress),
      );
    } finally {
      await holder.stop();
    }
    return holder.finish(outcome);
  }
  return (await store.getJob(jobId))!;
}

/** The engine is imported on first use, so a runner that executes elsewhere never loads it. */
function inThisThread(deps: JobDeps): NonNullable<RunJobOptions['execute']> {
  return async (job, onProgress) => (await import('./execute-job.js')).executeJob(deps, job, onProgress);
}

/**
 * A swap whose answer was lost may still have landed: reading back our own revision and
 * owner tells, so a claim isn't given up (and left to lease expiry) for a lost reply.
 */
async function swapOrCheck(store: JobStore, next: Job, expected: number): Promise<boolean> {
  try {
    return await store.swapJob(next, expected);
  } catch (error) {
    const stored = await store.getJob(next.id).catch(() => undefined);
    const landed =
      stored !== undefined &&
      stored.revision === next.revision &&
      stored.state === next.state &&
      stored.updatedAt === next.updatedAt &&
      stored.lease?.owner === next.lease?.owner;
    if (landed) return true;
    throw error;
  }
}

/**
 * Keeps a claimed job's lease alive, then records its outcome; writes go one at a time.
 * Progress rides on those writes: the latest report goes out with each heartbeat, and each new
 * stage adds exactly one write of its own, queued behind the others. Exactly one, not "one
 * unless a write is already waiting": the number of store calls a job makes must not depend
 * on how fast the store answers (the fault-injection suite numbers every call).
 */
class LeaseHolder {
  #current: Job;
  #lost = false;
  #writes: Promise<unknown> = Promise.resolve();
  #latest: JobProgress | undefined;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly store: JobStore,
    claimed: Job,
    readonly now: () => Date,
    readonly options: LeaseOptions,
    readonly log: JobDeps['log'],
  ) {
    this.#current = claimed;
    this.#timer = setInterval(() => {
      this.#writes = this.#writes.then(() => this.#renew());
    }, options.heartbeatMs);
    // The job's own work keeps the process busy; a beat alone must not keep it alive.
    this.#timer.unref();
  }

  /** Notes where the job is; only a stage the record doesn't show yet is written at once. */
  progress(progress: JobProgress): void {
    const shown = this.#latest?.stage;
    this.#latest = progress;
    if (progress.stage === shown) return;
    this.#writes = this.#writes.then(() => this.#renew());
  }

  async #renew(): Promise<void> {
    if (this.#lost) return;
    const expiresAt = new Date(this.now().getTime() + this.options.leaseMs).toISOString();
    const next: Job = {
      ...this.#current,
      lease: { owner: this.#current.lease!.owner, expiresAt },
      ...(this.#latest ? { progress: this.#latest } : {}),
      revision: (this.#current.revision ?? 0) + 1,
    };
    // A failed heartbeat is not fatal: the next one may land before the lease runs out.
    const ok = await swapOrCheck(this.store, next, this.#current.revision ?? 0).catch((error: unknown) => {
      this.#report('lease renewal failed', error);
      return undefined;
    });
    if (ok === true) this.#current = next;
    if (ok === false) this.#lost = true;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#writes;
  }

  /**
   * Records the outcome, retrying a failed write with a bounded backoff. If every try fails
   * the job stays `running` only until its lease expires, when a retry or restart reruns it.
   */
  async finish(outcome: JobOutcome): Promise<Job> {
    const { lease: _lease, ...rest } = this.#current;
    const done: Job = {
      ...rest,
      ...outcome,
      ...(this.#latest ? { progress: this.#latest } : {}),
      updatedAt: this.now().toISOString(),
      revision: (this.#current.revision ?? 0) + 1,
    };
    for (let attempt = 1; ; attempt += 1) {
      if (this.#lost) return (await this.store.getJob(done.id)) ?? this.#current;
      try {
        if (await swapOrCheck(this.store, done, this.#current.revision ?? 0)) return done;
        // Another runner took the job over after our lease expired; its record stands.
        this.#lost = true;
      } catch (error) {
        if (attempt >= this.options.finishAttempts) throw error;
        this.#report('recording the outcome failed; retrying', error);
        await new Promise((resolve) =>
          setTimeout(resolve, this.options.finishBackoffMs * 2 ** (attempt - 1)),
        );
      }
    }
  }

  #report(message: string, error: unknown): void {
    (this.log ?? ((line) => console.error(JSON.stringify(line))))({
      level: 'warn',
      jobId: this.#current.id,
      message,
      error: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300),
    });
  }
}
