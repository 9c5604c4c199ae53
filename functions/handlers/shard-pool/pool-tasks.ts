/**
 * The embedded backend's shard workers: each sharded freeze (or verify) gets a pool of
 * SPLITVAULT_WORKERS threads that run its scan, summarize and write steps on the stored
 * dataset's files, and are all ended when the freeze ends, however it ends.
 */
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blobKey } from '../../adapters/common/blob-address.js';
import type { ShardContext } from '../../core/shard/freeze-steps.js';
import { oversizedShard, type ShardTasks } from '../../core/shard/shard-tasks.js';
import type { ShardRun, ShardWorkers } from '../../jobs/freeze-sharded.js';
import { ExclusiveGate } from './exclusive-gate.js';
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

/** Whether a step was refused for decoding past its limit. */
function decodeRefusal(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'DATASET.TOO_LARGE_DECODED';
}

/**
 * The shard steps of one freeze on `pool`; the context a run shares goes to each thread once.
 *
 * The plan's decode limit is what one thread may decode; the pool's threads share it. A step
 * first runs alongside the others under its thread's share (the limit over the pool's size),
 * and one refused there runs again alone under the whole limit, once every other step has
 * finished and none starts until it ends. So decoded data in flight never passes the limit,
 * and what a shard is refused at — a Parquet row group can't be cut smaller — is the limit
 * itself, whatever SPLITVAULT_WORKERS is: the thread count changes when a shard runs, not
 * whether the freeze succeeds. A shard far past the plan's target (oversizedShard) runs alone
 * from the start, since beside others it would pass its thread's share of the memory even when
 * its decoding fits the limit. A step that runs alone first ends the pool's other threads, so
 * the memory they kept after their last steps is given back before it starts.
 */
export function poolShardTasks(pool: ThreadPool): ShardTasks {
  const gate = new ExclusiveGate();
  // Alone means alone in memory too: the other threads are ended first (ThreadPool.trim), or
  // what they kept from their last shards (up to a third of the budget at 50M rows of Parquet
  // on two threads, RELIABILITY.md) would sit beside the whole limit this step may decode.
  const alone = <T>(task: ShardTask, context: ShardContext): Promise<T> =>
    gate.exclusive(async () => {
      await pool.trim(1);
      return pool.run<T>(task, context);
    });
  // Each pass hands every call the same context object, so each thread is sent it once.
  const run = async <T>(task: ShardTask, context: ShardContext): Promise<T> => {
    const limit = context.plan.options.maxDecodedBytes;
    if (pool.size === 1 || limit === undefined || !Number.isFinite(limit)) {
      return pool.run<T>(task, context);
    }
    // A shard the plan couldn't cut near its target (one big row group) would pass its share
    // of the budget beside the others whatever it decodes to: it runs alone from the start.
    const shard = task.kind === 'write' ? task.slice.shard : task.shard;
    if (oversizedShard(context.plan, shard)) return alone(task, context);
    const share = Math.floor(limit / pool.size);
    try {
      return await gate.shared(() => pool.run<T>({ ...task, maxDecodedBytes: share }, context));
    } catch (error) {
      if (!decodeRefusal(error)) throw error;
      return alone(task, context);
    }
  };
  return {
    concurrency: pool.size,
    scan: (context, shard) => run({ kind: 'scan', shard }, context),
    summarize: (context, shard) => run({ kind: 'summarize', shard }, context),
    write: (context, slice) => run({ kind: 'write', slice }, context),
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
