/**
 * The decode limit of a sharded freeze on shard threads is one thread's, whatever their count:
 * a shard past a thread's share runs alone (pool-tasks.ts). See also
 * test/adversarial/review3-worker-count.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { oneGroupParquet } from './support/one-group-parquet.js';

const MiB = 2 ** 20;

describe('a sharded freeze whose one row group decodes past the budget’s per-shard limit', () => {
  const stored = oneGroupParquet(200_000);

  async function refusalOn(count: number, budget: number) {
    return stored.freeze(count, budget).then(
      () => 'frozen',
      (error: { code?: string; message: string; details?: unknown }) => ({
        code: error.code,
        message: error.message,
        details: error.details,
      }),
    );
  }

  it('is refused alike on one thread and on three, naming SPLITVAULT_WORKER_MEMORY as the setting to raise', async () => {
    const one = await refusalOn(1, 8 * MiB);
    expect(one).toMatchObject({ code: 'DATASET.TOO_LARGE_DECODED', details: { limit: 2 * MiB } });
    expect((one as { message: string }).message).toContain('raise SPLITVAULT_WORKER_MEMORY');
    expect(await refusalOn(3, 8 * MiB)).toEqual(one);
  }, 30_000);
});
