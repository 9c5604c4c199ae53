import type { SpecRequestInput } from '../../../../schemas/spec.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

/**
 * One spec of every strategy, shuffled or not, over the columns the shard tests' datasets share
 * (`id`, `label`, `user`, `at`): what a sharded freeze must reproduce byte for byte.
 */
export const SHARD_TEST_STRATEGIES: readonly SpecRequestInput[] = [
  { strategy: 'random', seed: 7, ratios },
  { strategy: 'random', seed: 7, ratios, shuffle: true },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
  { strategy: 'hash', seed: 9, ratios, key: 'id' },
  { strategy: 'time', ratios, orderBy: 'at' },
  { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user', shuffle: true },
];
