import { describe, expect, it } from 'vitest';
import { toProblem } from '../../../functions/api/problem.js';
import {
  DatasetError,
  SplitvaultError,
  ValidationError,
  WorkerDiedError,
} from '../../../functions/core/errors.js';
import { runningPoolThreads, ThreadPool } from '../../../functions/handlers/shard-pool/thread-pool.js';
import type { ProbeTask } from './support/probe-thread.js';

const entry = new URL('./support/probe-thread.ts', import.meta.url).href;
const context = {};

/** A pool on the probe thread; closed (and so every thread ended) after `use`, come what may. */
async function withPool<T>(size: number, use: (pool: ThreadPool) => Promise<T>, heapMb?: number) {
  const pool = new ThreadPool({
    size,
    entry,
    ...(heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 8 } } : {}),
  });
  try {
    return await use(pool);
  } finally {
    await pool.close();
  }
}

const run = <T>(pool: ThreadPool, task: ProbeTask, ctx: object = context) => pool.run<T>(task, ctx);

/** What a thrown error looks like to a job and to the edge. */
function facts(error: unknown) {
  const e = error as SplitvaultError;
  return {
    cls: e.constructor,
    name: e.name,
    code: e.code,
    kind: e.kind,
    message: e.message,
    details: e.details,
    problem: toProblem(e),
  };
}

describe('the shard thread pool', () => {
  it('starts no thread before a task and at most its size however many tasks wait', async () => {
    await withPool(2, async (pool) => {
      expect(pool.threadIds).toEqual([]);
      const ids = await Promise.all(
        Array.from({ length: 6 }, () => run<number>(pool, { do: 'wait', ms: 30 })),
      );
      expect(new Set(ids).size).toBe(2);
      expect(new Set(pool.threadIds)).toEqual(new Set(ids));
    });
  });

  it('sends a shared context to each thread once and hands it to every task', async () => {
    await withPool(1, async (pool) => {
      const shared = { plan: [1, 2, 3] };
      const first = await run<{ context: unknown }>(pool, { do: 'echo', value: 1 }, shared);
      const second = await run<{ context: unknown }>(pool, { do: 'echo', value: 2 }, shared);
      expect(first.context).toEqual(shared);
      expect(second.context).toEqual(shared);
    });
  });

  it('sends a context again once the thread has let it go for newer ones', async () => {
    await withPool(1, async (pool) => {
      const contexts = Array.from({ length: 7 }, (_, i) => ({ n: i }));
      for (const ctx of [...contexts, contexts[0]!, contexts[6]!]) {
        const { context } = await run<{ context: unknown }>(pool, { do: 'echo', value: 0 }, ctx);
        expect(context).toEqual(ctx);
      }
    });
  });

  it('returns a large typed array whole', async () => {
    await withPool(1, async (pool) => {
      const { bytes } = await run<{ bytes: Uint8Array }>(pool, { do: 'bytes', size: 3 * 2 ** 20 });
      expect(bytes.byteLength).toBe(3 * 2 ** 20);
      expect(bytes.every((b) => b === 7)).toBe(true);
    });
  });

  it.each([
    ['dataset-error', DatasetError],
    ['validation-error', ValidationError],
  ] as const)('rethrows a %s from a thread as the error thrown in-process would be', async (kind, cls) => {
    const inProcess =
      kind === 'dataset-error'
        ? new DatasetError('DATASET.BAD_ROW', 'row 7 has 3 fields, not 2', {
            details: { errors: [{ path: 'row 7', message: 'too few fields' }] },
          })
        : new ValidationError('SPEC.UNKNOWN_COLUMN', 'no column "label"', {
            details: { errors: [{ path: 'spec.stratifyBy', message: 'unknown column' }] },
          });
    await withPool(1, async (pool) => {
      const error = await run(pool, { do: kind }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(cls);
      expect(error).toBeInstanceOf(SplitvaultError);
      expect(facts(error)).toEqual(facts(inProcess));
      // The thread goes on serving after a task's own error.
      await expect(run(pool, { do: 'echo', value: 'still here' })).resolves.toMatchObject({
        value: 'still here',
      });
    });
  });

  it('rethrows any other error with its name and message, which the edge answers as internal', async () => {
    await withPool(1, async (pool) => {
      const error = await run(pool, { do: 'type-error' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TypeError', message: 'x is not a function' });
      expect(toProblem(error)).toMatchObject({ status: 500, code: 'INTERNAL' });
    });
  });

  it.each([
    ['exit', 'exited'],
    ['uncaught', 'crashed'],
  ] as const)(
    'fails every task with JOB.WORKER_DIED when a thread dies by %s, and ends the other threads',
    async (how, reason) => {
      await withPool(2, async (pool) => {
        const other = run(pool, { do: 'wait', ms: 60_000 });
        const dying = run(pool, { do: how });
        const error = await dying.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WorkerDiedError);
        expect(error).toMatchObject({ code: 'JOB.WORKER_DIED', details: { reason } });
        expect(toProblem(error)).toMatchObject({ status: 500, code: 'JOB.WORKER_DIED' });
        await expect(other).rejects.toBe(error);
        await expect(run(pool, { do: 'echo', value: 1 })).rejects.toBe(error);
      });
    },
  );

  it('fails with JOB.WORKER_DIED, reason out-of-memory, when a thread passes its heap limit', async () => {
    await withPool(
      1,
      async (pool) => {
        const error = await run(pool, { do: 'hog' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WorkerDiedError);
        expect(error).toMatchObject({ code: 'JOB.WORKER_DIED', details: { reason: 'out-of-memory' } });
      },
      32,
    );
  });

  it('leaves no thread running once closed, after success or after a death', async () => {
    const live = runningPoolThreads;
    const before = live();
    await withPool(2, async (pool) => {
      await Promise.all([run(pool, { do: 'thread' }), run(pool, { do: 'thread' })]);
      expect(live()).toBeGreaterThan(before);
    });
    expect(live()).toBe(before);
    await withPool(2, async (pool) => {
      await Promise.all([run(pool, { do: 'wait', ms: 60_000 }), run(pool, { do: 'exit' })]).catch(
        () => undefined,
      );
    });
    expect(live()).toBe(before);
  });

  it('ends idle threads on trim but never a busy one, and starts new ones, sent the context, as tasks need them', async () => {
    const live = runningPoolThreads;
    const before = live();
    await withPool(2, async (pool) => {
      const shared = { plan: 'p' };
      const first = await Promise.all([
        run<number>(pool, { do: 'wait', ms: 30 }, shared),
        run<number>(pool, { do: 'wait', ms: 30 }, shared),
      ]);
      expect(live()).toBe(before + 2);
      const busy = run<number>(pool, { do: 'wait', ms: 200 }, shared);
      await pool.trim(0);
      expect(live()).toBe(before + 1);
      expect(first).toContain(await busy);
      await pool.trim(1);
      expect(live()).toBe(before + 1);
      const again = await Promise.all([
        run<{ context: unknown }>(pool, { do: 'echo', value: 1 }, shared),
        run<{ context: unknown }>(pool, { do: 'echo', value: 2 }, shared),
      ]);
      expect(again.map((a) => a.context)).toEqual([shared, shared]);
      expect(pool.threadIds).toHaveLength(3);
      expect(live()).toBe(before + 2);
    });
    expect(live()).toBe(before);
  });
});
