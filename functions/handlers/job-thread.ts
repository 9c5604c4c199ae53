/**
 * A worker thread that does one job's work (the freeze or verify) on its own stores, posts the
 * outcome and ends, so the server's event loop stays free and the job's memory goes with the
 * thread. The server's main thread holds the job's lease and records the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Job } from '../../schemas/records.js';
import type { Config } from '../config.js';
import { executeJob } from '../jobs/execute-job.js';
import { openBackend } from './open-backend.js';
import { serviceEnvironment } from './service-environment.js';

/** What the server hands each job thread (structured-cloned). */
export interface JobThreadData {
  readonly config: Config;
  readonly publicBaseUrl: string;
  readonly job: Job;
}

const { config, publicBaseUrl, job } = workerData as JobThreadData;
const backend = await openBackend(config, publicBaseUrl);
try {
  const outcome = await executeJob(
    { blobs: backend.blobs, lineage: backend.lineage, service: serviceEnvironment(config.gitCommit) },
    job,
  );
  parentPort!.postMessage(outcome);
} finally {
  backend.close();
}
