import { describe, it } from 'vitest';
import type { SpecRequestInput } from '../../../schemas/spec.js';
import { expectShardedSame } from './support/freeze-parity.js';
import { SLICE_VARIANTS, sliceFilesSuite } from './support/slice-files.js';

const slices = sliceFilesSuite();

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const STRATEGIES: SpecRequestInput[] = [
  { strategy: 'random', seed: 7, ratios },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
  { strategy: 'hash', seed: 9, ratios, key: 'id' },
  { strategy: 'time', ratios, orderBy: 'at' },
  { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
];

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
