/**
 * Where a sharded freeze's per-shard steps run, and how many at once. The driver
 * (sharded-freeze.ts) hands each step plain data and takes plain data back, so a task runner may
 * be this thread (inThreadTasks), a pool of worker threads, or anything else that runs
 * freeze-steps.ts on the same inputs.
 */
import {
  type ShardContext,
  type ShardParts,
  type ShardSlice,
  scanFreezeShard,
  summarizeFreezeShard,
  writeFreezeShard,
} from './freeze-steps.js';
import type { MergedScan, ShardPlan, ShardScan } from './shard-ingest.js';
import type { ShardSummary } from './sharded-assign.js';
import type { DatasetSource } from './source.js';

/** A context after the merge: what summarize and write need. */
export type MergedContext = ShardContext & { readonly merged: MergedScan };

/**
 * Runs the per-shard steps of one freeze. Every call of a run gets the same context object, so
 * an implementation may send it to each of its workers once.
 */
export interface ShardTasks {
  /** Most tasks running at once. Write tasks' parts wait for the combine in shard order: a run
   * holds at most twice this many shards' parts, and starts no write past the next one the
   * combine needs while those waiting hold more than the plan's decode limit. */
  readonly concurrency: number;
  scan(context: ShardContext, shard: number): Promise<ShardScan>;
  summarize(context: MergedContext, shard: number): Promise<ShardSummary>;
  write(context: MergedContext, slice: ShardSlice): Promise<ShardParts>;
}

/**
 * How many times its target a shard may weigh and still run beside others. Text is cut near its
 * target (past it by one row at most), but a Parquet row group or an Arrow record batch can't be
 * cut: a shard far past the target is one unit of the file, as big as its writer made it.
 */
export const OVERSIZED_FACTOR = 4;

/**
 * Whether shard `index` weighs more than OVERSIZED_FACTOR times the plan's target: a runner
 * that shares the budget among shards running at once should run such a shard alone.
 */
export function oversizedShard(plan: ShardPlan, index: number): boolean {
  const shard = plan.shards[index];
  const target = plan.options.targetShardBytes;
  if (!shard || target === undefined) return false;
  const weight = shard.kind === 'text' ? shard.end - shard.start : shard.bytes;
  return weight > OVERSIZED_FACTOR * target;
}

/** The steps in this thread, one at a time. */
export function inThreadTasks(source: DatasetSource): ShardTasks {
  return {
    concurrency: 1,
    scan: ({ plan }, shard) => scanFreezeShard(source, plan, shard),
    summarize: ({ plan, merged, spec }, shard) => summarizeFreezeShard(source, plan, merged, spec, shard),
    write: ({ plan, merged }, slice) => writeFreezeShard(source, plan, merged, slice),
  };
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** How runOrdered may run ahead of the consumer. */
export interface OrderedWindow<T> {
  /** Most tasks running at once. */
  readonly concurrency: number;
  /** Most tasks started and not yet consumed (finished results wait for the lower ones). */
  readonly width: number;
  /**
   * Bytes of finished results waiting for the consumer past which only the task the consumer
   * waits for may start: a count alone lets results as big as their tasks' shards pile up.
   * @default no bound but `width`
   */
  readonly maxWaitingBytes?: number;
  /** What a result holds, for maxWaitingBytes. @default 0 */
  readonly bytesOf?: (value: T) => number;
}

/**
 * Runs tasks 0..count-1, at most `concurrency` at once and `width` ahead of the consumer, and
 * hands their results to `consume` in index order. While finished results waiting for the
 * consumer hold more than `maxWaitingBytes`, no task starts but the one the consumer waits
 * for, so the run always makes progress and what waits stays under the bound plus the results
 * of the tasks already running. The first failure in index order ends the
 * run: no task starts after any failure, the running ones are waited for (nothing is left
 * working behind the caller's back), and the lowest failed index's error is thrown. Tasks start
 * in index order, so every task below a failed one has started: the error thrown is the one a
 * run in order would have met first.
 */
export async function runOrdered<T>(
  count: number,
  window: OrderedWindow<T>,
  task: (index: number) => Promise<T>,
  consume: (value: T, index: number) => void | Promise<void>,
): Promise<void> {
  const concurrency = Math.max(1, Math.floor(window.concurrency));
  const width = Math.max(concurrency, Math.floor(window.width));
  const maxWaiting = window.maxWaitingBytes ?? Number.POSITIVE_INFINITY;
  const bytesOf = window.bytesOf ?? (() => 0);
  const outcomes = new Map<number, Promise<Outcome<T>>>();
  /** Bytes of each finished result not yet consumed, and their sum. */
  const waiting = new Map<number, number>();
  let waitingBytes = 0;
  let next = 0;
  let consumed = 0;
  let running = 0;
  let failed = false;
  const launch = (): void => {
    while (
      !failed &&
      next < count &&
      running < concurrency &&
      next < consumed + width &&
      (next === consumed || waitingBytes <= maxWaiting)
    ) {
      const index = next++;
      running++;
      const outcome = Promise.resolve()
        .then(() => task(index))
        .then(
          (value): Outcome<T> => {
            const bytes = bytesOf(value);
            waiting.set(index, bytes);
            waitingBytes += bytes;
            return { ok: true, value };
          },
          (error: unknown): Outcome<T> => {
            failed = true;
            return { ok: false, error };
          },
        )
        .finally(() => {
          running--;
          launch();
        });
      outcomes.set(index, outcome);
    }
  };
  launch();
  try {
    while (consumed < count) {
      const outcome = await outcomes.get(consumed)!;
      outcomes.delete(consumed);
      if (!outcome.ok) throw outcome.error;
      await consume(outcome.value, consumed);
      // The consumer held the result until now: it counts as waiting until consumed.
      waitingBytes -= waiting.get(consumed) ?? 0;
      waiting.delete(consumed);
      consumed++;
      launch();
    }
  } catch (error) {
    failed = true;
    await Promise.all(outcomes.values());
    throw error;
  }
}

/** runOrdered collecting every result, for the steps whose results are small (scan, summarize). */
export async function runAll<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const out: T[] = [];
  await runOrdered(count, { concurrency, width: count }, task, (value) => {
    out.push(value);
  });
  return out;
}
