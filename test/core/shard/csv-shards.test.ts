import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergedSchema } from '../../../functions/core/shard/shard-ingest.js';
import type { ColumnType } from '../../../schemas/spec.js';
import { expectSameAsWhole } from './support.js';

const text = (value: string) => new TextEncoder().encode(value);

/** Cells of one kind, so columns keep a type for a while (nulls are empty cells). */
const KINDS = {
  int: fc.integer({ min: -1000, max: 1000 }).map(String),
  float: fc.constantFrom('2.5', '-0.5', '1e3', '9007199254740993', '7'),
  bool: fc.constantFrom('true', 'false', 'TRUE'),
  time: fc.constantFrom('2024-01-02T03:04:05Z', '2024-01-02', '1999-12-31T23:59:59.5+01:00'),
  text: fc.constantFrom(
    'abc',
    'é',
    'a"b',
    '"q""uoted"',
    '"a,b"',
    '"line\nbreak"',
    '"cr\r\nlf"',
    '" "',
    '2024-13-01',
    '"x""\ny"',
    '"\n""\n,"',
  ),
};
type Kind = keyof typeof KINDS;
const kindOf = fc.constantFrom<Kind>('int', 'int', 'float', 'bool', 'time', 'text');

/** A cell of the column's kind, else (rarely) of another kind: the late change inference must follow. */
const cellOf = (kind: Kind) =>
  fc.oneof(
    { weight: 12, arbitrary: KINDS[kind] },
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.oneof(...Object.values(KINDS)) },
  );

const newline = fc.constantFrom('\n', '\r\n');

/** A fault for ingest to report: text after a closing quote, an unclosed quote, a short row. */
const fault = fc.constantFrom('"x"y', '"open', 'short\n1');

/** A CSV file: optional BOM, header, rows with random line ends, empty lines, maybe no final break. */
const csvFile = (kinds: readonly Kind[], header: readonly string[], delimiter: string) =>
  fc
    .record({
      bom: fc.boolean(),
      rows: fc.array(
        fc.tuple(
          fc.tuple(...kinds.map(cellOf)),
          newline,
          fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
        ),
        { maxLength: 40 },
      ),
      end: fc.constantFrom('', '\n', '\r\n', '\r'),
      fault: fc.oneof(
        { weight: 7, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.tuple(fault, fc.nat()) },
      ),
    })
    .map(({ bom, rows, end, fault }) => {
      const lines = rows.map(([cells, nl, blank]) => nl + (blank ? nl : '') + cells.join(delimiter));
      if (fault && lines.length > 0) lines[fault[1] % lines.length] = `\n${fault[0]}`;
      return text((bom ? '\uFEFF' : '') + header.join(delimiter) + lines.join('') + end);
    });

/** Files of one header and delimiter (cells may still hold other delimiters' bytes). */
const dataset = fc
  .tuple(
    fc.array(kindOf, { minLength: 1, maxLength: 4 }),
    fc.constantFrom<',' | ';' | '\t'>(',', ',', ';', '\t'),
  )
  .chain(([kinds, delimiter]) => {
    const header = kinds.map((_, i) => `c${i}`);
    return fc.record({
      delimiter: fc.constant(delimiter),
      parts: fc.array(csvFile(kinds, header, delimiter), { minLength: 1, maxLength: 3 }),
    });
  });

describe('CSV shards', () => {
  it('give the columns, types and errors of whole-file ingest at any shard size', async () => {
    await fc.assert(
      fc.asyncProperty(
        dataset,
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom<Record<string, ColumnType> | undefined>(
          undefined,
          { c0: 'int64' },
          { c0: 'utf8', c1: 'float64' },
        ),
        fc.integer({ min: 1, max: 64 }),
        async ({ parts, delimiter }, target, schema, chunk) => {
          const options = { delimiter, targetShardBytes: target, readChunkBytes: chunk };
          await expectSameAsWhole(parts, { ...options, ...(schema ? { schema } : {}) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cut a file into one-row shards whose rows add up to the whole file', async () => {
    const csv = text('a,b\n1,x\n2,"y\nz"\n\n3,w\r\n4.5,v');
    const sharded = await expectSameAsWhole([csv], { targetShardBytes: 1 });
    // The empty line between rows 2 and 3 is a shard of its own, with no rows.
    expect(sharded?.shards.map((s) => s.rows)).toEqual([1, 1, 0, 1, 1]);
    expect(sharded && mergedSchema(sharded.merged).fields.map(String)).toEqual(['a: Float64', 'b: Utf8']);
  });

  it('type a column that turns from integers to floats in its last shard as float64', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => String(i));
    const sharded = await expectSameAsWhole([text(`n\n${rows.join('\n')}\n2.5\n`)], { targetShardBytes: 16 });
    expect(sharded?.merged.types).toEqual(['float64']);
  });

  it('report a ragged row with its line in the whole file', async () => {
    const csv = text('a,b\n1,2\n3,4\n5\n');
    await expectSameAsWhole([csv], { targetShardBytes: 1 });
  });

  it("report declared-type mismatches at the whole dataset's row and line", async () => {
    const csv = text('a,b\n1,2\n3,4\nx,5\n');
    await expectSameAsWhole([csv], { targetShardBytes: 1, schema: { a: 'int64' } });
    await expectSameAsWhole([text('a\n1\n'), csv.subarray(0)], {
      targetShardBytes: 1,
      schema: { b: 'bool' },
    });
  });

  it('report an unterminated quote, invalid UTF-8 and a mismatched header as ingest does', async () => {
    await expectSameAsWhole([text('a,b\n1,2\n"3,4\n5,6\n')], { targetShardBytes: 1 });
    await expectSameAsWhole([Uint8Array.of(...text('a\n1\n2\n'), 0xc3, 0x28, 0x0a)], { targetShardBytes: 1 });
    await expectSameAsWhole([text('a,b\n1,2\n'), text('a,c\n3,4\n')], { targetShardBytes: 1 });
    await expectSameAsWhole([text('a,a\n1,2\n')], { targetShardBytes: 1 });
    await expectSameAsWhole([text('\n\n')], { targetShardBytes: 1 });
  });
});
