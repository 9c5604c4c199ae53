/**
 * A worker thread that does one job's work (the freeze or verify) on its own stores, posts the
 * outcome and ends, so the server's event loop stays free and the job's memory goes with the
 * thread. It starts before it has a job (the server keeps one ready, since loading takes about
 * a second) and waits for one; the server's main thread holds the lease and records the outcome.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Job } from '../../schemas/records.js';
import { openScratch } from '../adapters/local/fs-scratch.js';
import type { Config } from '../config.js';
import { executeJob } from '../jobs/execute-job.js';
import { embeddedBlobDir } from './embedded-backend.js';
import { openBackend } from './open-backend.js';
import { serviceEnvironment } from './service-environment.js';
import { poolShardWorkers } from './shard-pool/pool-tasks.js';
import type { JobThreadMessage } from './thread-executor.js';

/** What the server hands each job thread when it starts (structured-cloned). */
export interface JobThreadData {
  readonly config: Config;
  readonly publicBaseUrl: string;
}

const { config, publicBaseUrl } = workerData as JobThreadData;
// Loaded before a job arrives, so a ready thread starts work at once.
await import('../core/split-dataset.js');
const port = parentPort!;
port.once('message', async (job: Job) => {
  // The server swept temp files at its start; a thread per job must not walk the store again.
  const backend = await openBackend(config, publicBaseUrl, { sweepTempFiles: false });
  // A dataset past the memory budget is frozen in shards, its split files written here first.
  const scratch =
    config.workerMemory === undefined ? undefined : await openScratch(join(config.dataDir, 'scratch'));
  try {
    const outcome = await executeJob(
      {
        blobs: backend.blobs,
        lineage: backend.lineage,
        service: serviceEnvironment(config.gitCommit),
        maxDecodedBytes: config.maxDecodedBytes,
        ...(scratch && config.workerMemory
          ? {
              sharding: {
                workerMemory: config.workerMemory,
                scratch,
                // The shard steps run on threads of their own, started for a freeze and ended
                // with it, which read the dataset from the embedded store's files (not from S3).
                ...(config.backend === 'local'
                  ? {
                      workers: poolShardWorkers({
                        blobDir: embeddedBlobDir(config.dataDir),
                        count: config.workers,
                        workerMemory: config.workerMemory,
                      }),
                    }
                  : {}),
              },
            }
          : {}),
      },
      job,
      // Each report is a small message; the main thread coalesces them into the job record.
      (progress) => port.postMessage({ progress } satisfies JobThreadMessage),
    );
    port.postMessage({ outcome } satisfies JobThreadMessage);
  } finally {
    await scratch?.dispose();
    backend.close();
    port.close();
  }
});
