import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../functions/core/hash.js';
import { freezeSharded } from '../../../functions/core/shard/sharded-freeze.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import { SpecRequest, type SpecRequestInput } from '../../../schemas/spec.js';
import { expectShardedSame, memorySink } from './support/freeze-parity.js';
import { SHARD_TEST_STRATEGIES } from './support/strategies.js';
import { memorySource } from './support.js';

const golden = join(import.meta.dirname, '..', '..', 'golden', 'inputs');

const expectSame = (files: readonly Uint8Array[], spec: SpecRequestInput, targetShardBytes: number) =>
  expectShardedSame(files, spec, { targetShardBytes });

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const STRATEGIES = SHARD_TEST_STRATEGIES;

/** A CSV whose types only settle late (ints, then a float; a text column with quotes). */
function csvOf(rows: readonly [number, number, string, number, boolean][]): Uint8Array {
  const lines = ['id,label,user,at,score,note'];
  rows.forEach(([label, user, text, at, late], i) => {
    const score = late && i === rows.length - 1 ? '2.5' : String(i % 7);
    lines.push(`${i},c${label},u${user},${at},${score},"${text.replaceAll('"', '""')}"`);
  });
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

describe('the sharded freeze', () => {
  it('gives the one-process engine manifest and split files for random CSV datasets, shard sizes and strategies', async () => {
    const row = fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 9 }),
      fc.string({ maxLength: 12 }),
      fc.integer({ min: 0, max: 50 }),
      fc.boolean(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 12, maxLength: 80 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom(...STRATEGIES),
        async (rows, shardBytes, spec) => {
          // A split with no row is refused by both engines alike; only compare freezes that succeed.
          const csv = csvOf(rows);
          const whole = await splitDataset(
            csv,
            { sha256: sha256Hex(csv), bytes: csv.length },
            SpecRequest.parse(spec),
          ).catch((e: unknown) => e as Error);
          if (whole instanceof Error) {
            const sharded = await freezeSharded(
              memorySource([csv]),
              { sha256: sha256Hex(csv), bytes: csv.length },
              SpecRequest.parse(spec),
              memorySink(),
              { targetShardBytes: shardBytes },
            ).catch((e: unknown) => e as Error);
            expect((sharded as { code?: string }).code).toBe((whole as { code?: string }).code);
            return;
          }
          await expectSame([csv], spec, shardBytes);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives a 4-file Parquet dataset the split files of the one-process engine under every strategy, whatever the shard size', async () => {
    const files = [0, 1, 2, 3].map(
      (k) => new Uint8Array(readFileSync(join(golden, 'many-files', `part-${k}.parquet`))),
    );
    const specs: SpecRequestInput[] = [
      { strategy: 'random', seed: 7, ratios },
      { strategy: 'random', seed: 7, ratios, shuffle: true },
      { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'color' },
      { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
      { strategy: 'hash', seed: 9, ratios, key: 'id' },
      { strategy: 'time', ratios, orderBy: 'at' },
    ];
    for (const spec of specs) {
      for (const target of [1, 4096, 1 << 26]) await expectSame(files, spec, target);
    }
  });

  it('gives the golden Arrow inputs with nested and dictionary columns the one-process bytes', async () => {
    const file = new Uint8Array(readFileSync(join(golden, 'nested', 'nested.arrow')));
    for (const target of [1, 1 << 26]) {
      await expectSame([file], { strategy: 'random', seed: 11, ratios }, target);
      await expectSame([file], { strategy: 'random', seed: 11, ratios, shuffle: true }, target);
    }
  });

  it('refuses a shuffled split above the row limit with SPEC.SHUFFLE_TOO_LARGE and writes nothing', async () => {
    const csv = csvOf(Array.from({ length: 40 }, (_, i) => [i % 3, i % 5, 'x', i, false] as const));
    const sink = memorySink();
    const error = await freezeSharded(
      memorySource([csv]),
      { sha256: sha256Hex(csv), bytes: csv.length },
      SpecRequest.parse({ strategy: 'random', seed: 1, ratios, shuffle: true }),
      sink,
      { maxShuffleRows: 10 },
    ).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('SPEC.SHUFFLE_TOO_LARGE');
    expect(sink.file('train').byteLength).toBe(0);
  });
});
