import {
  Binary,
  Bool,
  type DataType,
  DateMillisecond,
  Decimal,
  Dictionary,
  Field,
  Float16,
  Float64,
  Int8,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Null,
  Struct,
  Timestamp,
  TimeUnit,
  Uint64,
  Utf8,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { checkStickyTypes, keysAlike } from '../../../functions/core/leakage/sticky-types.js';

const list = (t: DataType) => new List(new Field('item', t, true));

describe('which column types key alike for a sticky re-freeze (§8.5)', () => {
  it.each<[string, DataType, DataType]>([
    ['int64 and uint64', new Int64(), new Uint64()],
    ['int64 and float64', new Int64(), new Float64()],
    ['int32 and float16', new Int32(), new Float16()],
    ['int64 and decimal(20, 0)', new Int64(), new Decimal(0, 20, 128)],
    ['two decimals of other scales', new Decimal(2, 10, 128), new Decimal(4, 38, 128)],
    ['utf8 and large utf8', new Utf8(), new LargeUtf8()],
    ['a dictionary of utf8 and plain utf8', new Dictionary(new Utf8(), new Int8()), new Utf8()],
    [
      'timestamp(ms) with and without a time zone',
      new Timestamp(TimeUnit.MILLISECOND, 'UTC'),
      new Timestamp(TimeUnit.MILLISECOND),
    ],
    ['date64 and timestamp(ms)', new DateMillisecond(), new Timestamp(TimeUnit.MILLISECOND)],
    ['a null column and any type', new Null(), new Utf8()],
    ['lists of int64 and of float64', list(new Int64()), list(new Float64())],
  ])('takes %s as alike', (_, a, b) => {
    expect(keysAlike(a, b)).toBe(true);
    expect(keysAlike(b, a)).toBe(true);
  });

  it.each<[string, DataType, DataType]>([
    ['int64 and utf8', new Int64(), new Utf8()],
    ['float64 and decimal (1.5 keys f… and m1.5)', new Float64(), new Decimal(1, 10, 128)],
    ['utf8 and binary', new Utf8(), new Binary()],
    ['bool and int8', new Bool(), new Int8()],
    ['timestamp(s) and timestamp(ms)', new Timestamp(TimeUnit.SECOND), new Timestamp(TimeUnit.MILLISECOND)],
    ['a list and its element type', list(new Int64()), new Int64()],
    [
      'structs of different fields',
      new Struct([new Field('a', new Int64())]),
      new Struct([new Field('a', new Utf8())]),
    ],
  ])('takes %s as keying differently', (_, a, b) => {
    expect(keysAlike(a, b)).toBe(false);
    expect(keysAlike(b, a)).toBe(false);
  });

  it('checks only the stickyBy column, and every column of a whole-row identity', () => {
    const parent = [
      { name: 'id', type: new Int64() },
      { name: 'text', type: new Int64() },
    ];
    const dataset = [
      { name: 'id', type: new Float64() },
      { name: 'text', type: new Utf8() },
    ];
    expect(() => checkStickyTypes(parent, dataset, 'id')).not.toThrow();
    expect(() => checkStickyTypes(parent, dataset, 'text')).toThrow(
      expect.objectContaining({
        code: 'STICKY.TYPE_CHANGED',
        details: { column: 'text', parentType: 'Int64', datasetType: 'Utf8' },
      }),
    );
    expect(() => checkStickyTypes(parent, dataset, undefined)).toThrow(
      expect.objectContaining({ code: 'STICKY.TYPE_CHANGED' }),
    );
  });

  it('refuses a whole-row identity whose column names or order changed, pointing at stickyBy', () => {
    const a = { name: 'a', type: new Int64() };
    const b = { name: 'b', type: new Int64() };
    for (const dataset of [[b, a], [a], [a, b, { name: 'c', type: new Int64() }]]) {
      expect(() => checkStickyTypes([a, b], dataset, undefined)).toThrow(
        expect.objectContaining({
          code: 'STICKY.COLUMNS_CHANGED',
          message: expect.stringContaining('stickyBy'),
        }),
      );
    }
    expect(() => checkStickyTypes([a, b], [a, b], undefined)).not.toThrow();
  });
});
