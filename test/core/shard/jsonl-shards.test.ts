import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergedSchema } from '../../../functions/core/shard/shard-ingest.js';
import type { ColumnType } from '../../../schemas/spec.js';
import { expectSameAsWhole, shardedIngest } from './support.js';

const text = (value: string) => new TextEncoder().encode(value);

/** Values that move inference around, as JSON text (strings may be timestamps). */
const value = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom('2.5', '1e3', 'true', 'false', 'null', '9007199254740993'),
  fc.constantFrom(
    '"2024-01-02T03:04:05Z"',
    '"2024-01-02"',
    '"abc"',
    '"é\\u00e9"',
    '"a\\"b"',
    '"\\ud83d\\ude00"',
  ),
);

/** A row: keys from a small pool (so new keys turn up late), maybe repeated, maybe none. */
const row = fc
  .array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'é', 'late'), value), { maxLength: 5 })
  .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);

const line = fc.oneof(
  { weight: 40, arbitrary: row },
  { weight: 1, arbitrary: fc.constantFrom('', '  ', '\r') },
  { weight: 1, arbitrary: fc.constantFrom('[1]', '{"a":', 'nope') },
);

const jsonlFile = fc
  .record({
    bom: fc.boolean(),
    lines: fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 30 }),
    end: fc.boolean(),
  })
  .map(({ bom, lines, end }) => {
    const body = lines.map(([l, nl], i) => (i === lines.length - 1 && !end ? l : l + nl)).join('');
    return text((bom ? '\uFEFF' : '') + body);
  })
  .filter((bytes) => bytes.length > 0);

describe('JSON Lines shards', () => {
  it('give the columns, types and errors of whole-file ingest at any shard size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonlFile, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 150 }),
        fc.constantFrom<Record<string, ColumnType> | undefined>(
          undefined,
          { a: 'float64' },
          { late: 'utf8' },
        ),
        fc.integer({ min: 1, max: 64 }),
        async (parts, target, schema, chunk) => {
          // Declared, since a first line like `[1]` would sniff as a JSON array.
          const options = { format: 'jsonl' as const, targetShardBytes: target, readChunkBytes: chunk };
          await expectSameAsWhole(parts, { ...options, ...(schema ? { schema } : {}) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('order columns by first appearance over the whole dataset, a key first seen in the last shard last', async () => {
    const jsonl = text('{"b":1}\n{"a":2}\n{"b":3,"z":"x"}\n{"late":2.5}\n');
    const sharded = await expectSameAsWhole([jsonl], { targetShardBytes: 1 });
    expect(sharded && mergedSchema(sharded.merged).fields.map(String)).toEqual([
      'b: Int64',
      'a: Int64',
      'z: Utf8',
      'late: Float64',
    ]);
    expect(sharded?.shards.length).toBe(4);
  });

  it('report invalid JSON at its line in the joined files', async () => {
    await expectSameAsWhole([text('{"a":1}\n{"a":2}'), text('{"a":3}\n{"a":\n')], { targetShardBytes: 1 });
    await expectSameAsWhole([text('{"a":1}\n'), Uint8Array.of(...text('{"a":"'), 0xff, ...text('"}\n'))], {
      targetShardBytes: 1,
    });
  });

  it('read a column that turns nested in a later shard as whole-file ingest types it', async () => {
    const jsonl = text('{"a":1}\n{"a":{"b":2}}\n{"a":{"c":[1]}}\n');
    for (const target of [1, 9, 1000]) {
      const sharded = await expectSameAsWhole([jsonl], { targetShardBytes: target });
      expect(sharded && mergedSchema(sharded.merged).fields.map(String)).toEqual(['a: Utf8']);
    }
  });

  it('still refuse a JSON array with DATASET.NOT_SHARDABLE, for a driver to read it in one process', async () => {
    await expect(shardedIngest([text('[{"a":{"b":2}}]')], { targetShardBytes: 1 })).rejects.toMatchObject({
      code: 'DATASET.NOT_SHARDABLE',
    });
  });
});
