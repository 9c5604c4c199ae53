import type { Job } from '../../schemas/records.js';
import type { JobDispatcher } from '../api/deps.js';
import { SplitvaultError } from '../core/errors.js';
import type { JobDeps } from '../jobs/job-deps.js';
import { DEFAULT_LEASE, leaseExpiresAt } from '../jobs/job-lease.js';
import type { RunJobOptions } from '../jobs/run-job.js';

export interface InProcessDispatcherOptions {
  /** Jobs that may wait behind the running one; past that dispatch answers 429. @default 32 */
  readonly queueLimit?: number;
  /** What a refused client is told to wait. @default 5 */
  readonly retryAfterSeconds?: number;
  /**
   * Does a claimed job's work. The server passes a worker thread (./thread-executor.ts) so
   * the event loop stays free; tests that inject faults into `deps` run it here.
   * @default the job in this thread, on `deps`
   */
  readonly execute?: RunJobOptions['execute'];
}

/**
 * Runs the jobs of this process one at a time, in the order they were queued. This thread
 * holds each job's lease (claim, heartbeats, outcome); the work itself runs wherever
 * `execute` says. The job runner (and with it the engine) is imported on first use only.
 */
export class InProcessDispatcher implements JobDispatcher {
  readonly #deps: JobDeps;
  readonly #options: InProcessDispatcherOptions;
  #tail: Promise<unknown> = Promise.resolve();
  #waiting = 0;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(deps: JobDeps, options: InProcessDispatcherOptions = {}) {
    this.#deps = deps;
    this.#options = options;
  }

  async dispatch(job: Job): Promise<void> {
    const limit = this.#options.queueLimit ?? 32;
    if (this.#waiting >= limit) {
      const retryAfterSeconds = this.#options.retryAfterSeconds ?? 5;
      throw new SplitvaultError(
        'unavailable',
        'JOB.QUEUE_FULL',
        `${limit} jobs are already waiting; try again later`,
        {
          details: { retryAfterSeconds },
        },
      );
    }
    this.#enqueue(job.id);
  }

  /**
   * Picks up jobs found unfinished at start: queued ones and those whose runner's lease ran
   * out now, one still leased (a runner killed a moment ago) once that lease expires.
   */
  resume(jobs: readonly Job[]): void {
    const now = (this.#deps.now ?? (() => new Date()))().getTime();
    const leaseMs = this.#deps.lease?.leaseMs ?? DEFAULT_LEASE.leaseMs;
    for (const job of jobs) {
      const wait = job.state === 'running' ? leaseExpiresAt(job, leaseMs) - now : 0;
      if (wait <= 0) {
        this.#enqueue(job.id);
        continue;
      }
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#enqueue(job.id);
      }, wait + 100);
      timer.unref();
      this.#timers.add(timer);
    }
  }

  #enqueue(jobId: string): void {
    this.#waiting += 1;
    this.#tail = this.#tail.then(async () => {
      this.#waiting -= 1;
      const { runJob } = await import('../jobs/run-job.js');
      const options = this.#options.execute ? { execute: this.#options.execute } : {};
      // runJob records failures on the job itself; what escapes is a store outage, logged here.
      await runJob(this.#deps, jobId, options).catch((err: unknown) => {
        console.error(JSON.stringify({ level: 'error', jobId, error: String(err).slice(0, 300) }));
      });
    });
  }

  /** Resolves when every job queued so far has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    await this.#tail;
  }

  /** Forgets jobs still waiting for a lease to expire (a later start resumes them), then idles. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.idle();
  }
}
