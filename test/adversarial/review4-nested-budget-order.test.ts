/**
 * Review 4: a nested JSON Lines dataset that fits in one shard is refused differently by the
 * sharded read than by one process when it both passes the cell budget and holds an
 * unrepresentable number later on. One process charges a nested column's cells while it walks
 * the rows (nested-infer.ts), so it stops at the budget first; the shard's scan walks with no
 * budget (nested-state.ts scanNested) and mergeNested raises the kept fault before it checks
 * the merged shape against the budget. Same dataset, one shard, a different code and status.
 */
import { describe, expect, it } from 'vitest';
import { shardedIngest, wholeIngest } from '../core/shard/support.js';

const text = (value: string) => new TextEncoder().encode(value);

async function refusal(run: () => Promise<unknown>) {
  return run().then(
    () => undefined,
    (e: { code: string; details: unknown }) => ({ code: e.code, details: e.details }),
  );
}

describe('a nested JSON Lines dataset in one shard, past the cell budget and with a bad number (review 4)', () => {
  it('is refused by the sharded read with the code and details one process refuses it with', async () => {
    const files = [text('{"s":{"k":[1]}}\n{"s":{"k":{"z":1}}}\n{"s":{"k":[1e400]}}\n')];
    const options = { format: 'jsonl' as const, maxDecodedBytes: 16 * 4 };
    const whole = await refusal(() => wholeIngest(files, options));
    expect(whole).toMatchObject({ code: 'DATASET.TOO_MANY_CELLS', details: { column: 's' } });
    // The whole dataset is one shard: the shard's budget is the dataset's.
    const sharded = await refusal(() => shardedIngest(files, { ...options, targetShardBytes: 1 << 20 }));
    expect(sharded).toEqual(whole);
  });
});
