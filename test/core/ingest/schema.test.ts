import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import type { ColumnType } from '../../../schemas/spec.js';
import { columnValues, schemaOf, utf8 } from './table-values.js';

describe('explicit schema', () => {
  it.each([
    ['keeps leading zeros as utf8 when declared', 'a\n5\n7\n', 'utf8', 'Utf8', ['5', '7']],
    ['reads integers declared float64 as floats', 'a\n5\n7\n', 'float64', 'Float64', [5, 7]],
    [
      'accepts the full int64 range when declared',
      'a\n9223372036854775807\n-9223372036854775808\n',
      'int64',
      'Int64',
      [9223372036854775807n, -9223372036854775808n],
    ],
    [
      'rounds a large integer declared float64',
      'a\n9007199254740993\n',
      'float64',
      'Float64',
      [9007199254740992],
    ],
    [
      'reads dates declared timestamp',
      'a\n2024-01-01\n',
      'timestamp',
      'Timestamp<MICROSECOND, UTC>',
      [1704067200000000n],
    ],
    ['reads bools declared bool', 'a\nTRUE\n', 'bool', 'Bool', [true]],
  ] as const)('%s', async (_name, text, declared, type, values) => {
    const { table } = await ingest(utf8(text), { schema: { a: declared } });
    expect(schemaOf(table)).toEqual([`a:${type}`]);
    expect(columnValues(table, 'a')).toEqual(values);
  });

  it('overrides only the columns it names', async () => {
    const { table } = await ingest(utf8('a,b\n1,2\n'), { schema: { a: 'utf8' } });
    expect(schemaOf(table)).toEqual(['a:Utf8', 'b:Int64']);
  });

  it('parses JSON strings and numbers by the declared type', async () => {
    const { table } = await ingest(utf8('{"a":"42","b":7}\n'), { schema: { a: 'int64', b: 'utf8' } });
    expect([columnValues(table, 'a'), columnValues(table, 'b')]).toEqual([[42n], ['7']]);
  });

  it.each([
    ['int64', 'a\n1\nx\n', 'column "a", row 2 (line 3): "x" is not a valid int64'],
    [
      'int64',
      'a\n9223372036854775808\n',
      'column "a", row 1 (line 2): "9223372036854775808" is not a valid int64',
    ],
    ['float64', 'a\n"1,5"\n', 'column "a", row 1 (line 2): "1,5" is not a valid float64'],
    ['bool', 'a\nyes\n', 'column "a", row 1 (line 2): "yes" is not a valid bool'],
    [
      'timestamp',
      'note,a\n"x\ny",2024-01-01\nz,2024-13-01\n',
      'column "a", row 2 (line 4): "2024-13-01" is not a valid timestamp',
    ],
  ] as const)(
    'refuses a value that is not a valid %s, naming column, row and value',
    async (type, text, message) => {
      const schema: Record<string, ColumnType> = { a: type };
      await expect(ingest(utf8(text), { schema })).rejects.toMatchObject({
        name: 'DatasetError',
        code: 'DATASET.TYPE_MISMATCH',
        message,
      });
    },
  );
});

describe('negative zero declared int64', () => {
  it.each([
    ['a CSV cell', 'a\n1\n-0\n', 'column "a", row 2 (line 3): "-0" is not a valid int64'],
    ['a JSON number', '{"a":1}\n{"a":-0}\n', 'column "a", row 2 (line 2): "-0" is not a valid int64'],
    ['a JSON string', '{"a":"-0"}\n', 'column "a", row 1 (line 1): "-0" is not a valid int64'],
  ])('is refused as %s, as inference refuses it, since int64 has no -0', async (_what, text, message) => {
    await expect(ingest(utf8(text), { schema: { a: 'int64' } })).rejects.toMatchObject({
      code: 'DATASET.TYPE_MISMATCH',
      message,
    });
  });
});
