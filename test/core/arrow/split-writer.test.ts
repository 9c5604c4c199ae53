import { Bool, Data, Table, tableToIPC, Vector, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_ROWS, encodeSplit } from '../../../functions/core/arrow/encode.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { encodeRowBlock, rowBlockSchema } from '../../../functions/core/arrow/row-block.js';
import { encodeDictionaries, SplitFileWriter } from '../../../functions/core/arrow/split-writer.js';
import { concatBytes } from '../../../functions/core/concat-bytes.js';
import { ingest, ingestColumns } from '../../../functions/core/ingest/index.js';
import { KIND_NAMES, randomTable } from './random-tables.js';
import { cutting, piecesOf, writePieces } from './write-pieces.js';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

const tableArgs = fc.record({
  seed: fc.integer(),
  rows: fc.integer({ min: 1, max: 120 }),
  kinds: fc.array(fc.constantFrom(...KIND_NAMES), { minLength: 1, maxLength: 6 }),
  garbage: fc.boolean(),
  nullShare: fc.constantFrom(0, 0.3, 0.7, 1),
});

describe('SplitFileWriter', () => {
  it('writes the bytes of encodeSplit for random tables of every column kind, however the rows are cut into appends', () => {
    fc.assert(
      fc.property(
        tableArgs.chain((t) => fc.tuple(fc.constant(t), cutting(t.rows))),
        ([t, c]) => {
          const table = randomTable(t.seed, t);
          const whole = flattenTable(table);
          const expected = encodeSplit(table.schema, whole, Uint32Array.from(c.picks));
          expect(same(writePieces(table.schema, piecesOf(table, whole, c)), expected)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes the bytes of encodeSplit for Arrow IPC input with non-zero bytes under its nulls, read by ingest', async () => {
    await fc.assert(
      fc.asyncProperty(
        tableArgs.chain((t) => fc.tuple(fc.constant({ ...t, garbage: true }), cutting(t.rows))),
        async ([t, c]) => {
          const bytes = tableToIPC(randomTable(t.seed, t), 'file');
          const { schema, columns } = await ingestColumns(bytes);
          const { table } = await ingest(bytes);
          const expected = encodeSplit(schema, columns, Uint32Array.from(c.picks));
          expect(same(writePieces(schema, piecesOf(table, columns, c)), expected)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  const csvCell = fc.oneof(
    fc.constant(''),
    fc.integer({ min: -1e6, max: 1e6 }).map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.constantFrom('true', 'false'),
    fc.stringMatching(/^[a-zé ]{0,6}$/),
  );
  // Two columns at least: a one-column line of an empty cell is a blank line, which CSV skips.
  const csv = fc
    .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 80 }))
    .chain(([cols, rows]) =>
      fc.array(fc.array(csvCell, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
    );

  it('writes the bytes of encodeSplit for random CSV, read by ingest', async () => {
    await fc.assert(
      fc.asyncProperty(
        csv.chain((lines) => fc.tuple(fc.constant(lines), cutting(lines.length))),
        async ([lines, c]) => {
          const header = lines[0]!.map((_, i) => `c${i}`).join(',');
          const text = [header, ...lines.map((l) => l.join(','))].join('\n');
          const bytes = new TextEncoder().encode(`${text}\n`);
          const { schema, columns } = await ingestColumns(bytes, { format: 'csv' });
          const { table } = await ingest(bytes, { format: 'csv' });
          const expected = encodeSplit(schema, columns, Uint32Array.from(c.picks));
          expect(same(writePieces(schema, piecesOf(table, columns, c)), expected)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('cuts batches of 65,536 rows from the split start when shards straddle them, never holding a whole batch', () => {
    const rows = 2 * BATCH_ROWS + 5_000;
    const table = randomTable(7, {
      rows,
      kinds: ['int32', 'bool', 'utf8', 'list', 'dictionary', 'struct'],
      garbage: true,
      nullShare: 0.4,
    });
    const whole = flattenTable(table);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: rows }), { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 1, max: 6 }),
        (rawCuts, keepOneIn) => {
          const bounds = [0, ...rawCuts.sort((a, b) => a - b), rows];
          const writer = new SplitFileWriter(table.schema);
          const chunks: Uint8Array[] = [];
          const picks: number[] = [];
          for (let s = 0; s + 1 < bounds.length; s++) {
            const [from, to] = [bounds[s]!, bounds[s + 1]!];
            const local: number[] = [];
            for (let i = from; i < to; i++) if (i % keepOneIn !== 3) local.push(i - from);
            for (const i of local) picks.push(i + from);
            chunks.push(...writer.append(flattenTable(table.slice(from, to)), Uint32Array.from(local)));
            expect(writer.pendingRows).toBeLessThan(BATCH_ROWS);
            expect(writer.rows).toBe(picks.length);
          }
          chunks.push(...writer.finish());
          expect(same(concatBytes(chunks), encodeSplit(table.schema, whole, Uint32Array.from(picks)))).toBe(
            true,
          );
        },
      ),
      { numRuns: 4 },
    );
  });

  /** A bool column whose values are all true, with validity `valid` over them (Arrow input keeps such bits). */
  const boolsUnderNulls = (valid: readonly boolean[]): Table => {
    const data = vectorFromArray(
      valid.map(() => true),
      new Bool(),
    ).data[0]!;
    const bitmap = new Uint8Array((valid.length + 7) >> 3);
    valid.forEach((v, i) => {
      if (v) bitmap[i >> 3]! |= 1 << (i & 7);
    });
    const nulls = valid.filter((v) => !v).length;
    const buffers = [undefined, data.values, bitmap, undefined];
    const flag = new Data(data.type, 0, valid.length, nulls, buffers as never);
    return new Table({ flag: new Vector([flag]) });
  };
  it.each([
    [
      'keeps the bits under held all-null rows when their batch has a valid bool',
      [false, false, false, true],
    ],
    [
      'zeroes the bits of a batch whose bools are all null across several appends',
      [false, false, false, false],
    ],
  ])('%s', (_what, valid) => {
    const table = boolsUnderNulls(valid);
    const columns = flattenTable(table);
    const pieces = valid.map((_, i) => ({ columns, rows: Uint32Array.of(i) }));
    const expected = encodeSplit(table.schema, columns, Uint32Array.from(valid.keys()));
    expect(same(writePieces(table.schema, pieces), expected)).toBe(true);
  });

  const nearBoundary = randomTable(12, {
    rows: BATCH_ROWS + 200,
    kinds: ['bool', 'utf8', 'listOfDictionary'],
    garbage: true,
    nullShare: 0.6,
  });
  it.each([
    ['ends before', 30],
    ['ends on', 36],
    ['crosses', 100],
  ])('appends a row block that %s a batch boundary as the rows it holds', (_what, blockRows) => {
    const table = nearBoundary;
    const columns = flattenTable(table);
    const first = Uint32Array.from({ length: BATCH_ROWS - 36 }, (_, i) => i);
    const block = Uint32Array.from({ length: blockRows }, (_, i) => BATCH_ROWS - 36 + i);
    const writer = new SplitFileWriter(table.schema);
    const chunks = [
      ...writer.append(columns, first),
      ...writer.appendRowBlock(encodeRowBlock(rowBlockSchema(table.schema), columns, block), blockRows),
      ...writer.finish(),
    ];
    const all = Uint32Array.from({ length: first.length + blockRows }, (_, i) => i);
    expect(same(concatBytes(chunks), encodeSplit(table.schema, columns, all))).toBe(true);
  });
  it('writes the dictionary batches of a split no append reached when they are given', () => {
    const table = randomTable(3, {
      rows: 10,
      kinds: ['dictionary', 'listOfDictionary'],
      garbage: false,
      nullShare: 0.2,
    });
    const columns = flattenTable(table);
    const writer = new SplitFileWriter(table.schema, { dictionaries: encodeDictionaries(columns) });
    expect(same(concatBytes(writer.finish()), encodeSplit(table.schema, columns, new Uint32Array(0)))).toBe(
      true,
    );
  });

  it('writes the dictionary batches of a split whose appends all have zero rows', () => {
    const table = randomTable(4, {
      rows: 10,
      kinds: ['dictionary', 'int32'],
      garbage: false,
      nullShare: 0.2,
    });
    const columns = flattenTable(table);
    expect(
      same(
        writePieces(table.schema, [{ columns, rows: new Uint32Array(0) }]),
        encodeSplit(table.schema, columns, new Uint32Array(0)),
      ),
    ).toBe(true);
  });

  it('refuses to finish a split with dictionaries it was never given', () => {
    const table = randomTable(5, { rows: 4, kinds: ['dictionary'], garbage: false, nullShare: 0 });
    expect(() => new SplitFileWriter(table.schema).finish()).toThrow(/dictionaries/);
  });

  it('refuses an append after finish', () => {
    const table = randomTable(6, { rows: 4, kinds: ['int32'], garbage: false, nullShare: 0 });
    const writer = new SplitFileWriter(table.schema);
    writer.finish();
    expect(() => writer.append(flattenTable(table), Uint32Array.of(0))).toThrow(/finished/);
  });
});
