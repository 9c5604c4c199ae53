import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Job } from '../../schemas/records.js';
import { toProblem } from '../api/problem.js';
import type { Config } from '../config.js';
import type { JobOutcome } from '../jobs/execute-job.js';
import type { JobThreadData } from './job-thread.js';

export interface ThreadExecutorOptions {
  readonly config: Config;
  /** Where clients reach the server (the blob store builds URLs on it). */
  readonly publicBaseUrl: string;
}

/**
 * Does each job's work in a fresh worker thread (./job-thread.ts) that ends with the job.
 * A thread that dies (out of memory, a crash in native code) fails the job with a 500
 * problem instead of taking the server down.
 */
export function threadExecutor(options: ThreadExecutorOptions): (job: Job) => Promise<JobOutcome> {
  // .ts under tsx or vitest, .js once compiled; the boot file registers tsx only for .ts.
  const entry = new URL(`./job-thread${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
  const boot = new URL('./job-thread-boot.mjs', import.meta.url);
  return (job) =>
    new Promise((resolve) => {
      const data: JobThreadData = { config: options.config, publicBaseUrl: options.publicBaseUrl, job };
      const worker = new Worker(boot, { workerData: { ...data, entry } });
      let outcome: JobOutcome | undefined;
      let failure: unknown;
      worker.once('message', (message: JobOutcome) => {
        outcome = message;
      });
      worker.once('error', (error) => {
        failure = error;
      });
      worker.once('exit', (code) => {
        if (outcome) return resolve(outcome);
        console.error(
          JSON.stringify({
            level: 'error',
            jobId: job.id,
            message: 'job thread died',
            code,
            error: String(failure),
          }),
        );
        resolve({
          state: 'failed',
          problem: toProblem(failure ?? new Error(`job thread exited with ${code}`)),
        });
      });
    });
}
