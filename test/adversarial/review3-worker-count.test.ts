/**
 * SPLITVAULT_WORKERS is an execution detail: for a dataset the budget lets one thread freeze,
 * more threads must give the same manifest, not a refusal (issue 15, item 3: "whatever the
 * shard boundaries and worker count"). shardLimits divides the per-shard decode limit by the
 * thread count, but a Parquet row group can't be cut smaller, so a file with one big row group
 * that freezes on one thread is refused DATASET.TOO_LARGE_DECODED on two — and the default
 * count is the machine's cores, so the same server config refuses it on a bigger machine.
 */
import { describe, expect, it } from 'vitest';
import { oneGroupParquet } from '../jobs/shard-pool/support/one-group-parquet.js';

const MiB = 2 ** 20;
/** A budget whose one-thread decode limit (a quarter) holds the row group and whose two-thread one doesn't. */
const BUDGET = 40 * MiB;

describe('a sharded freeze of a Parquet file with one big row group', () => {
  const stored = oneGroupParquet(400_000);

  async function freezeOn(count: number): Promise<string> {
    try {
      const { manifest, files } = await stored.freeze(count, BUDGET);
      await Promise.all(Object.values(files).map((f) => f.remove()));
      return manifest.id;
    } catch (error) {
      return `${(error as { code?: string }).code} ${(error as Error).message}`;
    }
  }

  it('gives the same manifest on two shard threads as on one, under the same memory budget', async () => {
    const one = await freezeOn(1);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(await freezeOn(2)).toBe(one);
  }, 20_000);
});
