import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rowIdentityFromJson } from '../../../functions/core/leakage/identity-from-json.js';
import { roundToHalf } from '../../../functions/core/leakage/json-scalars.js';
import type { FieldInfo } from '../../../schemas/manifest.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const one = (type: string, nullable = true): FieldInfo[] => [{ name: 'v', type, nullable }];
const idOf = (type: string, json: string) => hex(rowIdentityFromJson(one(type), `{"v": ${json}}`));

/** §8.1's encoding written out by hand, independently of the encoder. */
const u32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const framed = (v: Buffer) => Buffer.concat([u32(v.length), v]);
const tagged = (tag: string, items: Buffer[]) =>
  Buffer.concat([Buffer.from(tag), u32(items.length), ...items.map(framed)]);
function identity(columns: [string, Buffer][]): string {
  const parts = columns.flatMap(([name, v]) => [framed(Buffer.from(name)), framed(v)]);
  const encoding = Buffer.concat([Buffer.from('splitvault-row-v1\0', 'latin1'), ...parts]);
  return createHash('sha256').update(encoding).digest('hex');
}
const text = (s: string) => Buffer.from(s, 'utf8');

describe('row identity from JSON values', () => {
  it('gives the §8.1 example row {"a": 3} of an int64 column its documented identity', () => {
    const schema: FieldInfo[] = [{ name: 'a', type: 'Int64', nullable: true }];
    expect(hex(rowIdentityFromJson(schema, '{"a": 3}'))).toBe(
      '2b2ce654c5dfc746473871a2cd49fe6f9b042143387de9a93b57e03d23680d05',
    );
  });

  it.each([
    ['Int8', '-3', 'i-3'],
    ['Uint64', '18446744073709551615', 'i18446744073709551615'],
    ['Int64', '"-9223372036854775808"', 'i-9223372036854775808'],
    ['Float64', '2.0', 'i2'],
    ['Float64', '-0', 'i0'],
    ['Float64', '0.5', 'f3fe0000000000000'],
    ['Float64', '"NaN"', 'f7ff8000000000000'],
    ['Float64', '"-Infinity"', 'ffff0000000000000'],
    ['Float32', '0.1', 'f3fb99999a0000000'],
    ['Float16', '0.1', 'f3fb9980000000000'],
    ['Float16', '2049', 'i2048'],
    ['Float16', '2051', 'i2052'],
    ['Float16', '65520', 'f7ff0000000000000'],
    ['Bool', 'true', 'b1'],
    ['Utf8', '"é"', 's\u00c3\u00a9'],
    ['Binary', '"AAH/"', 'x\u0000\u0001\u00ff'],
    ['FixedSizeBinary[2]', '"AAE="', 'x\u0000\u0001'],
    ['Decimal[10e+2]', '1.50', 'm1.5'],
    ['Decimal[10e+2]', '"-0.05"', 'm-0.05'],
    ['Decimal[20e+2]', '"2.00"', 'i2'],
    ['Decimal[5e-2]', '12300', 'i12300'],
    ['Timestamp<MICROSECOND, UTC>', '"2024-01-01T01:00:00+01:00"', 't1704067200000000/microsecond'],
    ['Timestamp<MICROSECOND>', '"2024-01-01"', 't1704067200000000/microsecond'],
    ['Timestamp<NANOSECOND>', '"1970-01-01T00:00:00.000001Z"', 't1000/nanosecond'],
    ['Timestamp<SECOND>', '-1', 't-1/second'],
    ['Date32<DAY>', '"2024-01-01"', 't19723/day'],
    ['Date64<MILLISECOND>', '"2024-01-01"', 't1704067200000/millisecond'],
    ['Time32<MILLISECOND>', '"09:30:01"', 'h34201000/millisecond'],
    ['Time64<NANOSECOND>', '"00:00:00.000000001"', 'h1/nanosecond'],
    ['Duration<SECOND>', '-3600', 'u-3600/second'],
    ['Interval<DAY_TIME>', '{"days": 1, "milliseconds": 500}', 'vday-time:1,500'],
    ['Interval<YEAR_MONTH>', '{"months": -14}', 'vyear-month:-14'],
    ['Interval<MONTH_DAY_NANO>', '{"months": 1, "days": 2, "nanoseconds": "-3"}', 'vmonth-day-nano:1,2,-3'],
    ['Dictionary<Int8, Utf8>', '"x"', 'sx'],
    ['Int32', 'null', 'n'],
    ['Null', 'null', 'n'],
  ])('reads a %s value written %s as the value encoding %j', (type, json, encoding) => {
    expect(idOf(type, json)).toBe(identity([['v', Buffer.from(encoding, 'latin1')]]));
  });

  it('encodes lists, structs, maps and nulls inside them as §8.1 frames them', () => {
    const schema: FieldInfo[] = [
      { name: 't', type: 'List<Int32>', nullable: true },
      { name: 's', type: 'Struct<{x:Utf8, y:FixedSizeList[2]<Bool>}>', nullable: true },
      { name: 'm', type: 'Map<{key:Utf8, value:Int64}>', nullable: false },
    ];
    const row =
      '{"t": [1, null], "s": {"x": "é", "y": [true, false]}, "m": [["k", 7], {"key": "j", "value": null}]}';
    const entry = (k: string, v: Buffer) => tagged('r', [Buffer.concat([text('s'), text(k)]), v]);
    expect(hex(rowIdentityFromJson(schema, row))).toBe(
      identity([
        ['t', tagged('l', [text('i1'), text('n')])],
        ['s', tagged('r', [text('sé'), tagged('l', [text('b1'), text('b0')])])],
        ['m', tagged('l', [entry('k', text('i7')), entry('j', text('n'))])],
      ]),
    );
  });

  it('gives one identity to the forms §8.6 says are equal', () => {
    const same = (type: string, ...forms: string[]) =>
      expect(new Set(forms.map((json) => idOf(type, json))).size).toBe(1);
    same('Int64', '12', '"12"', '1.2e1', '12.0');
    same('Struct<{a:Int32, b:Utf8}>', '{"a": 1, "b": "x"}', '{"b": "x", "a": 1}', '[1, "x"]');
    same('Map<{key:Utf8, value:Int64}>', '[["k", 1]]', '[{"key": "k", "value": 1}]');
    same(
      'Timestamp<MILLISECOND, America/New_York>',
      '1704067200000',
      '"2024-01-01T00:00:00Z"',
      '"2023-12-31T19:00:00-05:00"',
    );
    // A row keeps its identity when a column's type changes as its §2.3 key does.
    expect(idOf('Int64', '2')).toBe(idOf('Float64', '2'));
    expect(idOf('Int64', '2')).toBe(idOf('Decimal[12e+3]', '"2.000"'));
    expect(idOf('Utf8', '"x"')).toBe(idOf('Dictionary<Uint16, LargeUtf8>', '"x"'));
  });

  it('takes the first reading of a type string that fits the row when a field name holds ":" or ", "', () => {
    const type = 'Struct<{a:Int32, b:Int32}>';
    expect(idOf(type, '{"a": 1, "b": 2}')).toBe(identity([['v', tagged('r', [text('i1'), text('i2')])]]));
    // The same string also reads as one field named "a:Int32, b".
    expect(idOf(type, '{"a:Int32, b": 5}')).toBe(identity([['v', tagged('r', [text('i5')])]]));
    expect(idOf('Struct<{a:b:Utf8}>', '{"a:b": "z"}')).toBe(identity([['v', tagged('r', [text('sz')])]]));
  });

  it('rounds a float16 value to the nearest half, ties to even', () => {
    expect([0.1, 2049, 2051, 65504, 65519, 65520, 1e-8, 3e-8, -0.5].map(roundToHalf)).toEqual([
      0.0999755859375,
      2048,
      2052,
      65504,
      65504,
      Number.POSITIVE_INFINITY,
      0,
      2 ** -24,
      -0.5,
    ]);
  });

  it.each([
    ['{"v": 1, "w": 2}', 'Int32', 'w', 'no such column'],
    ['{}', 'Int32', 'v', 'missing from the row'],
    ['{"v": "x"}', 'Bool', 'v', 'expected true or false'],
    ['{"v": 200}', 'Int8', 'v', 'outside [-128, 127]'],
    ['{"v": 1.5}', 'Int64', 'v', 'expected an integer'],
    ['{"v": 1.234}', 'Decimal[10e+2]', 'v', 'more digits than scale 2'],
    ['{"v": 123456}', 'Decimal[5e+2]', 'v', 'more digits than precision 5'],
    ['{"v": "AAAA"}', 'FixedSizeBinary[2]', 'v', 'expected 2 bytes, got 3'],
    ['{"v": "AA"}', 'Binary', 'v', 'expected base64 text'],
    ['{"v": "soon"}', 'Float64', 'v', 'expected a number, "NaN"'],
    ['{"v": "2024-01-01T00:00:00.5Z"}', 'Timestamp<SECOND>', 'v', 'not a whole number'],
    ['{"v": "25:00:00"}', 'Time32<SECOND>', 'v', 'time of day'],
    ['{"v": [1, 2, 3]}', 'FixedSizeList[2]<Int8>', 'v', 'expected 2 items'],
    ['{"v": {"a": 1, "c": 2}}', 'Struct<{a:Int8, b:Int8}>', 'v.c', 'no such field'],
    ['{"v": [[null, 1]]}', 'Map<{key:Utf8, value:Int8}>', 'v[0].key', 'a map key cannot be null'],
    ['{"v": [1, "x"]}', 'List<Int8>', 'v[1]', 'expected an integer'],
    ['{"v": {"days": 1}}', 'Interval<DAY_TIME>', 'v', 'expected an object {days, milliseconds}'],
    ['{"v": 1}', 'Null', 'v', 'expected null'],
    ['[1, 2]', 'Int8', '(row)', 'expected 1 values'],
  ])('refuses %s for a %s column with MEMBERSHIP.ROW_MISMATCH naming %s', (row, type, column, reason) => {
    expect(() => rowIdentityFromJson(one(type), row)).toThrow(
      expect.objectContaining({
        code: 'MEMBERSHIP.ROW_MISMATCH',
        details: expect.objectContaining({ column, reason: expect.stringContaining(reason) }),
      }),
    );
  });

  it('refuses a null in a column the schema marks not nullable', () => {
    expect(() => rowIdentityFromJson(one('Int8', false), '{"v": null}')).toThrow(
      expect.objectContaining({
        code: 'MEMBERSHIP.ROW_MISMATCH',
        details: expect.objectContaining({ column: 'v' }),
      }),
    );
  });

  it('refuses text that is not JSON, and a type string no split file carries', () => {
    expect(() => rowIdentityFromJson(one('Int8'), '{"v": 1')).toThrow(
      expect.objectContaining({ code: 'MEMBERSHIP.ROW_NOT_JSON' }),
    );
    expect(() => rowIdentityFromJson(one('Union<Int8>'), '{"v": 1}')).toThrow(
      expect.objectContaining({
        code: 'MEMBERSHIP.UNSUPPORTED_TYPE',
        details: { column: 'v', type: 'Union<Int8>' },
      }),
    );
  });

  it('asks for the array form when two columns share a name, and accepts it', () => {
    const schema: FieldInfo[] = [
      { name: 'x', type: 'Int8', nullable: true },
      { name: 'x', type: 'Utf8', nullable: true },
    ];
    expect(() => rowIdentityFromJson(schema, '{"x": 1}')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('give the row as an array') }),
    );
    expect(hex(rowIdentityFromJson(schema, '[1, "a"]'))).toBe(
      identity([
        ['x', text('i1')],
        ['x', text('sa')],
      ]),
    );
  });
});
