import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergedSchema } from '../../../functions/core/shard/shard-ingest.js';
import { expectShardedSame } from './support/freeze-parity.js';
import { nestedDataset, nestedRow } from './support/nested-jsonl.js';
import { SHARD_TEST_STRATEGIES } from './support/strategies.js';
import { expectSameAsWhole, shardedIngest, wholeIngest } from './support.js';

const _ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const STRATEGIES = SHARD_TEST_STRATEGIES;

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

const text = (value: string) => new TextEncoder().encode(value);

/** Both engines' refusal of `files` (code and details), at every shard size in `targets`. */
async function refusals(files: Uint8Array[], targets: number[], maxDecodedBytes?: number) {
  const options = { format: 'jsonl' as const, ...(maxDecodedBytes ? { maxDecodedBytes } : {}) };
  const whole = await wholeIngest(files, options).then(
    () => undefined,
    (e: { code: string; details: unknown }) => ({ code: e.code, details: e.details }),
  );
  const sharded = [];
  for (const targetShardBytes of targets) {
    sharded.push(
      await shardedIngest(files, { ...options, targetShardBytes }).then(
        () => undefined,
        (e: { code: string; details: unknown }) => ({ code: e.code, details: e.details }),
      ),
    );
  }
  return { whole, sharded };
}

describe('nested JSON Lines refusals in shards', () => {
  it('name the first row in row order holding an unrepresentable number, whichever shard holds it', async () => {
    const files = [
      text('{"a":[1],"b":1e400}\n{"a":[2]}\n{"a":[[3]],"b":{"x":1}}\n'),
      text('{"a":[9007199254740993]}\n{"a":[1e400]}\n'),
    ];
    const { whole, sharded } = await refusals(files, [1, 20, 60, 1 << 20]);
    expect(whole).toEqual({
      code: 'JSONL.UNREPRESENTABLE_NUMBER',
      details: { line: 4, column: 'a', value: '9007199254740993' },
    });
    for (const outcome of sharded) expect(outcome).toEqual(whole);
  });

  it('refuse the first nested column in column order with a fault, as one process infers column by column', async () => {
    // Column "b" faults in the first shard; "a" (before it) faults only in the last one.
    const files = [text('{"a":[1],"b":[1e400]}\n'), text('{"a":[2]}\n{"a":{"k":-1e999}}\n')];
    const { whole, sharded } = await refusals(files, [1, 1 << 20]);
    expect(whole).toMatchObject({ code: 'JSONL.UNREPRESENTABLE_NUMBER', details: { column: 'a', line: 3 } });
    for (const outcome of sharded) expect(outcome).toEqual(whole);
  });

  it('read a number no int64 or float64 holds in a column that is never nested, as text', async () => {
    const files = [text('{"a":1e400,"n":[1]}\n'), text('{"a":9007199254740993}\n')];
    const { whole, sharded } = await refusals(files, [1, 1 << 20]);
    expect(whole).toBeUndefined();
    expect(sharded).toEqual([undefined, undefined]);
  });

  it('give a column that holds scalars in one shard and lists in another the one-process JSON text type', async () => {
    const files = [text('{"a":"x"}\n{"a":7}\n'), text('{"a":[1,2]}\n{"a":{"k":true}}\n')];
    for (const target of [1, 12, 1 << 20]) {
      const sharded = await expectSameAsWhole(files, { format: 'jsonl', targetShardBytes: target });
      expect(sharded && mergedSchema(sharded.merged).fields.map(String)).toEqual(['a: Utf8']);
    }
  });

  it('refuse a value nested past 64 levels with JSONL.TOO_DEEP at its line, in any shard', async () => {
    const deep = `{"a":${'['.repeat(65)}${']'.repeat(65)}}\n`;
    const files = [text(`{"a":[1]}\n{"a":[[2]]}\n${deep}`)];
    const { whole, sharded } = await refusals(files, [1, 15, 1 << 20]);
    expect(whole).toMatchObject({ code: 'JSONL.TOO_DEEP', details: { line: 3, column: 'a', limit: 64 } });
    for (const outcome of sharded) expect(outcome).toEqual(whole);
  });

  it('refuse nested values past the cell budget with DATASET.TOO_MANY_CELLS naming the column one process names', async () => {
    // One process: 4 rows × 2 columns + 4 × 3 list elements = 20 cells against 16.
    const files = [
      text('{"id":1,"t":[1,2,3]}\n{"id":2,"t":[4,5,6]}\n{"id":3,"t":[7,8,9]}\n{"id":4,"t":[0,1,2]}\n'),
    ];
    const { whole, sharded } = await refusals(files, [1 << 20], 16 * 16);
    expect(whole).toMatchObject({ code: 'DATASET.TOO_MANY_CELLS', details: { column: 't' } });
    expect(sharded[0]).toMatchObject({ code: 'DATASET.TOO_MANY_CELLS', details: { column: 't' } });
  });

  it('refuse struct fields spread over shards past the cell budget when merging, before any shard is built', async () => {
    // Each one-row shard sees one field, within its 11 cells; the merged struct has 12
    // positions, past them (one process would need 11 rows + 11 fields × 11 rows).
    const rows = Array.from({ length: 11 }, (_, k) => `{"s":{"k${k}":1}}\n`).join('');
    const { whole, sharded } = await refusals([text(rows)], [1], 16 * 11);
    expect(whole).toMatchObject({ code: 'DATASET.TOO_MANY_CELLS', details: { column: 's' } });
    expect(sharded[0]).toMatchObject({ code: 'DATASET.TOO_MANY_CELLS', details: { column: 's', cells: 12 } });
  });
});
