import { describe, expect, it } from 'vitest';
import { shardLimits } from '../../../functions/jobs/freeze-sharded.js';

const GiB = 2 ** 30;

describe('the memory budget of a freeze on shard threads', () => {
  it('divides the shard size and per-shard decode limit among the threads, which each hold a shard', () => {
    expect(shardLimits(2 * GiB)).toEqual(shardLimits(2 * GiB, 1));
    const one = shardLimits(2 * GiB, 1);
    const two = shardLimits(2 * GiB, 2);
    expect(two.targetShardBytes).toBe(one.targetShardBytes / 2);
    expect(two.maxDecodedBytes).toBe(one.maxDecodedBytes / 2);
  });

  it('keeps the shuffled split limit whole, since the job thread writes it after the shard steps', () => {
    expect(shardLimits(2 * GiB, 8).maxShuffleBytes).toBe(shardLimits(2 * GiB, 1).maxShuffleBytes);
  });
});
