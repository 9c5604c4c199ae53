import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { SpecRequestInput } from '../../../schemas/spec.js';
import { expectShardedSame } from './support/freeze-parity.js';
import { nestedDataset, nestedRow } from './support/nested-jsonl.js';
import { expectSameAsWhole } from './support.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const STRATEGIES: SpecRequestInput[] = [
  { strategy: 'random', seed: 7, ratios },
  { strategy: 'random', seed: 7, ratios, shuffle: true },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
  { strategy: 'hash', seed: 9, ratios, key: 'id' },
  { strategy: 'time', ratios, orderBy: 'at' },
  { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user', shuffle: true },
];

/** Lines one process refuses or reads oddly, dropped among good rows. */
const odd = fc.constantFrom(
  '{"tokens":[1,1e400]}',
  '{"feat":{"x":{"y":[9007199254740993]}}}',
  '{"flat":1e400}',
  `{"deep":${'['.repeat(65)}${']'.repeat(65)}}`,
  `{"deep":${'['.repeat(64)}${']'.repeat(64)}}`,
  '{"tokens":"not a list"}',
  '{"tokens":{"k":[1]},"feat":[]}',
  '{"feat":{"x":1,"x":[2]}}',
  '{}',
);

const withOdd = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 99 }).chain(nestedRow) },
        { weight: 1, arbitrary: odd },
      ),
      { minLength: 1, maxLength: 25 },
    ),
    fc.integer({ min: 1, max: 3 }),
  )
  .map(([lines, files]) => {
    const per = Math.ceil(lines.length / files);
    return Array.from({ length: files }, (_, f) =>
      new TextEncoder().encode(
        lines
          .slice(f * per, (f + 1) * per)
          .map((l) => `${l}\n`)
          .join(''),
      ),
    ).filter((bytes) => bytes.length > 0);
  });

describe('nested JSON Lines in shards', () => {
  it('read to the columns, types and refusals of whole-file ingest at any shard size', async () => {
    await fc.assert(
      fc.asyncProperty(withOdd, fc.integer({ min: 1, max: 600 }), async (files, target) => {
        await expectSameAsWhole(files, { format: 'jsonl', targetShardBytes: target });
      }),
      { numRuns: 300 },
    );
  });

  it('freeze random nested datasets to the one-process manifest and split files under every strategy and cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        nestedDataset(30, 70),
        fc.constantFrom(...STRATEGIES),
        fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 3 }),
        async (files, spec, targets) => {
          // The generator makes only datasets one process freezes: its refusal fails the test.
          for (const targetShardBytes of targets) await expectShardedSame(files, spec, { targetShardBytes });
        },
      ),
      { numRuns: 60 },
    );
  });
});
