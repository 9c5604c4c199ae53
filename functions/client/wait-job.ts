import type { Job } from '../../schemas/records.js';
import { ApiError } from './api-error.js';

export interface WaitOptions {
  /** Give up after this many milliseconds (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Called after every poll, e.g. to update a progress bar. */
  readonly onPoll?: (job: Job, elapsedMs: number) => void;
  /** First delay between polls; it grows by half each time up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the job finishes. A failed job throws ApiError with the job's problem so that
 * callers handle it exactly like a failed synchronous request.
 */
export async function waitForJob(
  getJob: (id: string) => Promise<Job>,
  id: string,
  options: WaitOptions = {},
) {
  const started = Date.now();
  const timeout = options.timeoutMs ?? 600_000;
  let delay = options.initialDelayMs ?? 100;
  for (;;) {
    const job = await getJob(id);
    const elapsed = Date.now() - started;
    options.onPoll?.(job, elapsed);
    if (job.state === 'succeeded') return job;
    if (job.state === 'failed') {
      throw new ApiError(
        job.problem ?? {
          type: 'about:blank',
          title: 'job failed',
          status: 500,
          code: 'JOB.FAILED',
          detail: id,
        },
      );
    }
    if (elapsed > timeout) {
      throw new ApiError({
        type: 'about:blank',
        title: 'gave up waiting for job',
        status: 504,
        code: 'CLIENT.JOB_TIMEOUT',
        detail: `job ${id} still ${job.state} after ${Math.round(elapsed / 1000)} s`,
      });
    }
    await sleep(delay);
    delay = Math.min(delay * 1.5, options.maxDelayMs ?? 2000);
  }
}
