import {
  type DataType,
  Decimal,
  DenseUnion,
  Dictionary,
  Field,
  Float16,
  Int8,
  Int32,
  IntervalDayTime,
  IntervalYearMonth,
  makeData,
  RecordBatchFileReader,
  Struct,
  Table,
  tableFromIPC,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BATCH_ROWS, encodeSplit } from '../../../functions/core/arrow/encode.js';
import { flattenColumn, flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { nestedTable } from './nested-fixtures.js';
import { range } from './table-fixtures.js';
import { referenceFile } from './take-reference.js';

const n = 60;
const source = nestedTable(n);
const encode = (table: Table, picks: readonly number[]) =>
  encodeSplit(table.schema, flattenTable(table), Uint32Array.from(picks));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('encodeSplit on nested and dictionary columns', () => {
  const big = nestedTable(BATCH_ROWS + 300);
  it.each([
    ['every row in order', source, range(n)],
    ['a shuffled subset with repeats', source, [7, 3, 59, 0, 12, 12, 31, 13, 14, 15]],
    ['rows that are null in most columns', source, [0, 59, 35, 41]],
    ['a single row', source, [23]],
    ['two batches in reverse order', big, range(BATCH_ROWS + 300).reverse()],
    [
      'a sliced source whose chunks start at an offset',
      source.slice(7, 50),
      range(43).filter((i) => i % 3 !== 1),
    ],
  ])('writes the bytes apache-arrow writes for %s', (_what, table, picks) => {
    expect(same(encode(table, picks), referenceFile(table, picks))).toBe(true);
  });

  it('reads a source of many chunks as if it were one', () => {
    const chunked = source.slice(0, 20).concat(source.slice(20, 33), source.slice(33));
    expect(chunked.batches.length).toBe(3);
    const picks = [40, 2, 21, 33, 19, 0, 59, 32];
    expect(same(encode(chunked, picks), encode(source, picks))).toBe(true);
  });

  it('round-trips every value, null and field name through apache-arrow', () => {
    const picks = [5, 1, 44, 17];
    const back = tableFromIPC(encode(source, picks));
    expect(back.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual(
      source.schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
    );
    const json = (t: Table) => JSON.stringify(t.toArray(), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    expect(json(back)).toBe(
      json(new Table(picks.map((p) => source.slice(p, p + 1)).flatMap((t) => t.batches))),
    );
  });

  it('carries the whole dictionary in a split with no rows, and no record batch', () => {
    const empty = encode(source, []);
    const reader = RecordBatchFileReader.from(empty);
    reader.open();
    expect([reader.numDictionaries, reader.numRecordBatches]).toEqual([2, 0]);
    // The dictionary messages are the very bytes a non-empty split starts with.
    const one = encode(source, [3]);
    expect(tableFromIPC(one).numRows).toBe(1);
    const dictionariesEnd = new DataView(empty.buffer).getInt32(empty.length - 10, true);
    expect(dictionariesEnd).toBeGreaterThan(0);
    const start = empty.length - 10 - dictionariesEnd;
    expect(same(empty.subarray(0, start - 8), one.subarray(0, start - 8))).toBe(true);
  });
});

/** A Dictionary<Int8, Utf8> chunk: indices over its own dictionary. */
function dictChunk(indices: (number | null)[], dictionary: Vector) {
  const type = new Dictionary(new Utf8(), new Int8(), 0);
  const bits = Uint8Array.from(range((indices.length + 7) >> 3), (b) =>
    indices.slice(b * 8, b * 8 + 8).reduce((acc: number, v, j) => (v === null ? acc : acc | (1 << j)), 0),
  );
  const data = Int8Array.from(indices, (v) => v ?? 9);
  return makeData({ type, length: indices.length, nullBitmap: bits, data, dictionary });
}
const words = (xs: string[]) => vectorFromArray(xs, new Utf8());
const tableOf = (...chunks: ReturnType<typeof dictChunk>[]) => new Table({ label: new Vector(chunks) });

describe('dictionary unification across chunks', () => {
  it('keeps the first dictionary, appends later values not yet in it, and remaps their indices', () => {
    const first = words(['b', 'a']);
    const source = tableOf(
      dictChunk([0, 1, null], first),
      dictChunk([1, 0, null, 1], words(['a', 'c'])),
      dictChunk([1], first),
    );
    const expected = tableOf(dictChunk([0, 1, null, 2, 1, null, 2, 1], words(['b', 'a', 'c'])));
    const picks = [6, 3, 0, 2, 7, 4];
    expect(same(encode(source, picks), referenceFile(expected, picks))).toBe(true);
    expect(
      tableFromIPC(encode(source, range(8)))
        .getChild('label')!
        .toArray(),
    ).toEqual(['b', 'a', null, 'c', 'a', null, 'c', 'a']);
  });

  it('treats a later dictionary equal entry for entry to an earlier one as that one, duplicates and all', () => {
    const source = tableOf(
      dictChunk([1, 2], words(['a', 'a', 'b'])),
      dictChunk([1, 0, 2], words(['a', 'a', 'b'])),
    );
    const expected = tableOf(dictChunk([1, 2, 1, 0, 2], words(['a', 'a', 'b'])));
    expect(same(encode(source, range(5)), referenceFile(expected, range(5)))).toBe(true);
  });

  it('refuses a unified dictionary its index type cannot address', () => {
    const hundred = (p: string) => words(range(100).map((i) => `${p}${i}`));
    const source = tableOf(dictChunk([0], hundred('x')), dictChunk([0], hundred('y')));
    expect(() => flattenTable(source)).toThrow(
      expect.objectContaining({ code: 'DATASET.DICTIONARY_OVERFLOW' }),
    );
  });
});

describe('types split-v1 still refuses', () => {
  const union = new DenseUnion([0, 1], [new Field('a', new Int32()), new Field('b', new Utf8())]);
  it.each([
    ['a union column', 'u', union, 'u'],
    ['a union inside a struct', 's', new Struct([new Field('u', union)]), 's.u'],
  ])('refuses %s with DATASET.UNSUPPORTED_TYPE naming where it is', (_what, name, type, column) => {
    expect(() => flattenColumn(name, type, [], 0)).toThrow(
      expect.objectContaining({
        code: 'DATASET.UNSUPPORTED_TYPE',
        details: { column, type: String(union) },
      }),
    );
  });
});

describe('fixed-width types pyarrow cannot build', () => {
  // Year-month and day-time intervals, half floats and 256-bit decimals, inside a list and a
  // struct too: raw buffers with values under the nulls, as a writer may leave them.
  const n = 9;
  const bits = Uint8Array.of(0b1011_0110, 0b1);
  const values = (count: number) => Array.from({ length: count }, (_, i) => i * 37 - 100);
  const raw = (type: DataType, stride: number, wide: boolean) =>
    makeData({
      type,
      length: n,
      nullBitmap: bits,
      data: wide ? Int32Array.from(values(n * stride)) : Uint16Array.from(values(n * stride)),
    } as never);
  const columns = {
    months: new Vector([raw(new IntervalYearMonth(), 1, true)]),
    dayTime: new Vector([raw(new IntervalDayTime(), 2, true)]),
    half: new Vector([raw(new Float16(), 1, false)]),
    wide: new Vector([raw(new Decimal(3, 60, 256), 8, true)]),
  };
  const table = new Table({
    ...columns,
    inStruct: new Vector([
      makeData({
        type: new Struct(Object.entries(columns).map(([name, v]) => new Field(name, v.type, true))),
        length: n,
        nullCount: 0,
        children: Object.values(columns).map((v) => v.data[0]!),
      }),
    ]),
  });
  it.each([
    ['every row', range(n)],
    ['a shuffled subset', [8, 0, 3, 5, 1]],
  ])('writes the bytes apache-arrow writes for %s', (_what, picks) => {
    expect(same(encode(table, picks), referenceFile(table, picks))).toBe(true);
    const back = tableFromIPC(encode(table, picks));
    expect(back.schema.fields.map((f) => String(f.type))).toEqual(
      table.schema.fields.map((f) => String(f.type)),
    );
  });
});
