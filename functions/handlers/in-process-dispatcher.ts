import type { Job } from '../../schemas/records.js';
import type { JobDispatcher } from '../api/deps.js';
import type { JobDeps } from '../jobs/job-deps.js';

/**
 * Runs jobs in this process, one at a time, in the order they were queued. The job module
 * (and with it the engine, Arrow and the parsers) is imported on first use only.
 */
export class InProcessDispatcher implements JobDispatcher {
  readonly #deps: JobDeps;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(deps: JobDeps) {
    this.#deps = deps;
  }

  async dispatch(job: Job): Promise<void> {
    this.#tail = this.#tail.then(async () => {
      const { runJob } = await import('../jobs/run-job.js');
      // runJob records failures on the job itself; what escapes is a store outage, logged here.
      await runJob(this.#deps, job.id).catch((err: unknown) => {
        console.error(JSON.stringify({ level: 'error', jobId: job.id, error: String(err).slice(0, 300) }));
      });
    });
  }

  /** Resolves when every job queued so far has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
