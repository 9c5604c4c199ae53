/**
 * The embedded backend's shard workers: each sharded freeze (or verify) gets a pool of
 * SPLITVAULT_WORKERS threads that run its scan, summarize and write steps on the stored
 * dataset's files, and are all ended when the freeze ends, however it ends.
 */
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blobKey } from '../../adapters/common/blob-address.js';
import type { ShardTasks } from '../../core/shard/shard-tasks.js';
import type { ShardRun, ShardWorkers } from '../../jobs/freeze-sharded.js';
import type { ShardTask, ShardThreadData } from './shard-task.js';
import { ThreadPool } from './thread-pool.js';

export interface PoolShardWorkersOptions {
  /** The embedded store's blob directory (FsBlobStore's `dir`). */
  readonly blobDir: string;
  /** Threads per freeze (SPLITVAULT_WORKERS). */
  readonly count: number;
  /** The freeze's memory budget (SPLITVAULT_WORKER_MEMORY), shared by its threads. */
  readonly workerMemory: number;
  /** Module the threads run. @default ./shard-thread */
  readonly entry?: string;
}

const MiB = 2 ** 20;
/** No thread's heap is capped below this: loading the engine alone takes about 40 MiB. */
const MIN_HEAP_MB = 128;

/** The shard steps of one freeze on `pool`; the context a run shares goes to each thread once. */
export function poolShardTasks(pool: ThreadPool): ShardTasks {
  const run = <T>(task: ShardTask, context: object, key: object) => pool.run<T>(task, context, key);
  return {
    concurrency: pool.size,
    // The driver builds the scan context anew for each call; its plan is the same object.
    scan: (context, shard) => run({ kind: 'scan', shard }, context, context.plan),
    summarize: (context, shard) => run({ kind: 'summarize', shard }, context, context.merged),
    write: (context, slice) => run({ kind: 'write', slice }, context, context.merged),
  };
}

/** Shard workers on threads of this process, reading the dataset from `blobDir`. */
export function poolShardWorkers(options: PoolShardWorkersOptions): ShardWorkers {
  // .ts under tsx or vitest, .js once compiled, as thread-executor.ts does for job threads.
  const entry =
    options.entry ??
    new URL(`./shard-thread${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
  // Only the JS heap can be capped (typed arrays live outside it): a shard's objects, not its columns.
  const heapMb = Math.max(MIN_HEAP_MB, Math.floor(options.workerMemory / options.count / MiB));
  return {
    count: options.count,
    start(files): ShardRun {
      const data: ShardThreadData = {
        files: files.map(({ sha256, bytes }) => ({
          path: join(options.blobDir, blobKey('dataset', sha256)),
          sha256,
          bytes,
        })),
      };
      const pool = new ThreadPool({
        size: options.count,
        entry,
        workerData: { ...data },
        resourceLimits: { maxOldGenerationSizeMb: heapMb },
      });
      return { tasks: poolShardTasks(pool), close: () => pool.close() };
    },
  };
}
