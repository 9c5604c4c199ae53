import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Job, JobProgress } from '../../schemas/records.js';
import { toProblem } from '../api/problem.js';
import type { Config } from '../config.js';
import type { JobOutcome } from '../jobs/execute-job.js';
import type { JobThreadData } from './job-thread.js';

export interface ThreadExecutorOptions {
  readonly config: Config;
  /** Where clients reach the server (the blob store builds URLs on it). */
  readonly publicBaseUrl: string;
}

/** Runs each job's work in a thread of its own; close() ends the thread kept ready. */
export interface ThreadExecutor {
  readonly execute: (job: Job, onProgress?: (progress: JobProgress) => void) => Promise<JobOutcome>;
  close(): Promise<void>;
}

/** A started thread and whether it died before it was given a job. */
interface Spare {
  readonly worker: Worker;
  dead: boolean;
}

/**
 * Does each job's work in a fresh worker thread (./job-thread.ts) that ends with the job, and
 * keeps the next thread loading meanwhile (about a second of TypeScript loader and engine
 * modules) so a job doesn't wait for it. A thread that dies (out of memory, a crash in native
 * code) fails the job with a 500 problem instead of taking the server down.
 */
export function threadExecutor(options: ThreadExecutorOptions): ThreadExecutor {
  // .ts under tsx or vitest, .js once compiled; the boot file registers tsx only for .ts.
  const entry = new URL(`./job-thread${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
  const boot = new URL('./job-thread-boot.mjs', import.meta.url);
  const data: JobThreadData = { config: options.config, publicBaseUrl: options.publicBaseUrl };
  const start = (): Spare => {
    const spare: Spare = { worker: new Worker(boot, { workerData: { ...data, entry } }), dead: false };
    spare.worker.once('exit', () => {
      spare.dead = true;
    });
    // Heard here until a job takes the thread (an unheard 'error' would crash the server).
    spare.worker.on('error', () => undefined);
    // A thread waiting for a job must not keep the process alive.
    spare.worker.unref();
    return spare;
  };
  let spare: Spare | undefined = start();
  let closed = false;
  return {
    execute: (job, onProgress) => {
      const taken = spare && !spare.dead ? spare : start();
      spare = closed ? undefined : start();
      return run(taken.worker, job, onProgress ?? (() => undefined));
    },
    async close() {
      closed = true;
      await spare?.worker.terminate();
      spare = undefined;
    },
  };
}

/** What a job thread posts: progress reports while it works, then its outcome once. */
export type JobThreadMessage = { readonly progress: JobProgress } | { readonly outcome: JobOutcome };

function run(worker: Worker, job: Job, onProgress: (progress: JobProgress) => void): Promise<JobOutcome> {
  worker.ref();
  return new Promise((resolve) => {
    let outcome: JobOutcome | undefined;
    let failure: unknown;
    worker.on('message', (message: JobThreadMessage) => {
      if ('progress' in message) onProgress(message.progress);
      else outcome = message.outcome;
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
    // Posted at once: a thread still loading receives it when its handler is in place.
    worker.postMessage(job);
  });
}
