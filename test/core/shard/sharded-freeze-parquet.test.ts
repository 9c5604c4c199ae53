import { describe, it } from 'vitest';
import { expectShardedSame } from './support/freeze-parity.js';
import { SLICE_VARIANTS, sliceFilesSuite } from './support/slice-files.js';
import { SHARD_TEST_STRATEGIES } from './support/strategies.js';

const slices = sliceFilesSuite();

const _ratios = { train: 0.6, validation: 0.2, test: 0.2 };
// The unshuffled strategies: each slice variant is frozen under every strategy once.
const STRATEGIES = SHARD_TEST_STRATEGIES.filter((spec) => !spec.shuffle);

describe('the sharded freeze of a Parquet file read by row-group slices', () => {
  it.each(SLICE_VARIANTS)(
    'gives the one-process manifest and split files at one row group a shard and at one shard: %s',
    async (name) => {
      const bytes = slices.file(name);
      for (const input of STRATEGIES) {
        for (const targetShardBytes of [1, 2 ** 30])
          await expectShardedSame([bytes], input, { targetShardBytes });
      }
    },
  );
});
