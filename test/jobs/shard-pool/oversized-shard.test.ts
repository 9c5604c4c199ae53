import { describe, expect, it } from 'vitest';
import type { ShardContext } from '../../../functions/core/shard/freeze-steps.js';
import type { ShardPlan } from '../../../functions/core/shard/shard-ingest.js';
import { OVERSIZED_FACTOR, oversizedShard } from '../../../functions/core/shard/shard-tasks.js';
import { poolShardTasks } from '../../../functions/handlers/shard-pool/pool-tasks.js';
import type { ShardTask } from '../../../functions/handlers/shard-pool/shard-task.js';
import type { ThreadPool } from '../../../functions/handlers/shard-pool/thread-pool.js';
import { SpecRequest } from '../../../schemas/spec.js';

const TARGET = 1000;

/** Parquet shards of these weights (bytes), cut from one file; the target is TARGET. */
function planOf(weights: readonly number[]): ShardPlan {
  return {
    format: 'parquet',
    options: { targetShardBytes: TARGET, maxDecodedBytes: 64 * TARGET },
    files: [{ size: weights.reduce((a, b) => a + b, 0) }],
    shards: weights.map((bytes, index) => ({
      kind: 'binary',
      index,
      file: 0,
      from: index,
      to: index + 1,
      whole: false,
      bytes,
    })),
  };
}

/** A stand-in for the thread pool that records which shards were running at once. */
function recordingPool(size: number) {
  let running = new Set<number>();
  const overlaps: number[][] = [];
  /** What happened, in order: `trim to N` (with how many shards were running) or `run S`. */
  const events: string[] = [];
  const pool = {
    size,
    async trim(keep: number) {
      events.push(`trim to ${keep} (${running.size} running)`);
    },
    async run(task: ShardTask) {
      const shard = task.kind === 'write' ? task.slice.shard : task.shard;
      events.push(`run ${shard}`);
      running.add(shard);
      overlaps.push([...running].sort());
      await new Promise((resolve) => setTimeout(resolve, 10));
      running = new Set([...running].filter((s) => s !== shard));
      return shard;
    },
  };
  return { pool: pool as unknown as ThreadPool, overlaps, events };
}

/** Scans five shards, the middle one ten times its target, on a recording pool of two threads. */
async function scanAroundOversizedShard() {
  const plan = planOf([TARGET, TARGET, 10 * TARGET, TARGET, TARGET]);
  const recorded = recordingPool(2);
  const tasks = poolShardTasks(recorded.pool);
  const context: ShardContext = {
    plan,
    spec: SpecRequest.parse({
      strategy: 'random',
      seed: 1,
      ratios: { train: 0.8, validation: 0.1, test: 0.1 },
    }),
  };
  await Promise.all(plan.shards.map((_, i) => tasks.scan(context, i)));
  return recorded;
}

describe('a shard the plan could not cut near its target', () => {
  it('is oversized past OVERSIZED_FACTOR times the target, and text cut at its target never is', () => {
    const plan = planOf([TARGET, OVERSIZED_FACTOR * TARGET, OVERSIZED_FACTOR * TARGET + 1]);
    expect([0, 1, 2].map((i) => oversizedShard(plan, i))).toEqual([false, false, true]);
    const text: ShardPlan = {
      format: 'csv',
      options: { targetShardBytes: TARGET },
      files: [{ size: 3 * TARGET }],
      shards: [0, 1, 2].map((i) => ({
        kind: 'text',
        index: i,
        file: 0,
        start: i * TARGET,
        end: (i + 1) * TARGET + 10,
        line: 1,
        joinedLine: 1,
        firstOfFile: i === 0,
        lastOfFile: i === 2,
      })),
    };
    expect([0, 1, 2].map((i) => oversizedShard(text, i))).toEqual([false, false, false]);
  });

  it('runs alone on a pool of two threads while the others run two at a time', async () => {
    const { overlaps } = await scanAroundOversizedShard();
    // Whenever shard 2 was running, nothing else was; other shards did run two at a time.
    expect(overlaps.filter((o) => o.includes(2))).toEqual([[2]]);
    expect(overlaps.some((o) => o.length === 2)).toBe(true);
  });

  it("ends the pool's other threads before it runs alone, so what they kept is not held beside it", async () => {
    const { events } = await scanAroundOversizedShard();
    // The one trim comes right before shard 2, once the shards beside it are done; the shards
    // that share the threads trim nothing.
    const at = events.indexOf('run 2');
    expect(events[at - 1]).toBe('trim to 1 (0 running)');
    expect(events.filter((e) => e.startsWith('trim'))).toHaveLength(1);
  });
});
