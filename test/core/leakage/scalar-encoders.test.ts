import { createHash } from 'node:crypto';
import {
  Bool,
  type DataType,
  DateDay,
  DateMillisecond,
  Duration,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  Table,
  TimeMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimeUnit,
  Uint32,
  Uint64,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { rowIdentities } from '../../../functions/core/leakage/row-identity.js';
import { keyReader } from '../../../functions/core/split/keys.js';

/** §8.1 by the book: each value as the latin1 bytes of its keyReader string. */
function reference(table: Table): string[] {
  const [column] = flattenTable(table);
  const key = keyReader(column!, 'a test');
  const name = Buffer.from(column!.name, 'utf8');
  return Array.from({ length: table.numRows }, (_, i) => {
    const v = Buffer.from(key(i), 'latin1');
    const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    return createHash('sha256')
      .update(
        Buffer.concat([
          Buffer.from('splitvault-row-v1\0', 'latin1'),
          u32(name.length),
          name,
          u32(v.length),
          v,
        ]),
      )
      .digest('hex');
  });
}

const ids = (table: Table) => {
  const bytes = rowIdentities(flattenTable(table), table.numRows);
  return Array.from({ length: table.numRows }, (_, i) =>
    Buffer.from(bytes.subarray(i * 32, i * 32 + 32)).toString('hex'),
  );
};

const floats = [
  0,
  -0,
  1,
  -1,
  0.1,
  -2.5,
  2 ** 53,
  -(2 ** 53),
  2 ** 53 + 2,
  1e21,
  5e-324,
  Number.NaN,
  Infinity,
  -Infinity,
  123456789.125,
  null,
];
const ints = [0, 1, -1, 9, 10, -10, 99, 100, 2147483647, -2147483648, null];
const bigs = [
  0n,
  -1n,
  9007199254740991n,
  9007199254740992n,
  -9007199254740993n,
  9223372036854775807n,
  -9223372036854775808n,
  null,
];

const cases: [string, DataType, unknown[]][] = [
  ['int8', new Int8(), [0, -128, 127, 5, null]],
  ['int16', new Int16(), [0, -32768, 32767, 1000, null]],
  ['int32', new Int32(), ints],
  ['uint32', new Uint32(), [0, 4294967295, 10, null]],
  ['int64', new Int64(), bigs],
  ['uint64', new Uint64(), [0n, 18446744073709551615n, 9007199254740993n, null]],
  ['float64', new Float64(), floats],
  ['float32', new Float32(), [0, 0.1, -3, 16777217, Number.NaN, null]],
  ['float16', new Float16(), [0, 0.5, -2, 65504, null]],
  ['bool', new Bool(), [true, false, null, true]],
  ['timestamp ms', new TimestampMillisecond(), [0, 1700000000123, -5, null]],
  ['timestamp ns', new TimestampNanosecond(), [0, 1700000000123456, -3, null]],
  ['date day', new DateDay(), [new Date(0), new Date(86400000 * 19000), null]],
  ['date ms', new DateMillisecond(), [new Date(0), new Date(1700000000123), null]],
  ['time µs', new TimeMicrosecond(), [0n, 86399999999n, null]],
  ['duration', new Duration(TimeUnit.SECOND), [0n, -7n, 9007199254740993n, null]],
];

describe('row identity fast paths', () => {
  // Rows of 55, 56, 119 and 120 bytes: the edges of one and two padded blocks, and past them.
  it.each([27, 28, 91, 92, 300])('hashes a row holding %i bytes of text as SHA-256 of its encoding', (n) => {
    const table = new Table({ v: vectorFromArray(['x'.repeat(n)], new Utf8()) });
    expect(ids(table)).toEqual(reference(table));
  });

  it.each(cases)('encodes %s values to the same bytes as their §2.3 key strings', (_name, type, values) => {
    const table = new Table({ v: vectorFromArray(values, type) });
    expect(ids(table)).toEqual(reference(table));
  });
});
