import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { columnValues, schemaOf, utf8 } from './table-values.js';

/** A one-column CSV whose data rows are `cells`. */
async function inferColumn(cells: readonly string[]) {
  const { table } = await ingest(utf8(`v\n${cells.join('\n')}\n`), { format: 'csv' });
  return { type: schemaOf(table)[0]!.slice(2), values: columnValues(table, 'v') };
}

describe('CSV type inference', () => {
  it.each([
    ['canonical integers', ['0', '-7', '42'], 'Int64', [0n, -7n, 42n]],
    [
      'integers at plus and minus 2^53',
      ['9007199254740992', '-9007199254740992'],
      'Int64',
      [9007199254740992n, -9007199254740992n],
    ],
    ['one integer just past 2^53', ['1', '9007199254740993'], 'Utf8', ['1', '9007199254740993']],
    ['a zip code with a leading zero', ['01001', '12345'], 'Utf8', ['01001', '12345']],
    ['a plus sign', ['+1', '2'], 'Utf8', ['+1', '2']],
    ['minus zero, which is a float but not an integer', ['-0', '1'], 'Float64', [-0, 1]],
    ['integers mixed with decimals', ['1', '2.5', '-3e2'], 'Float64', [1, 2.5, -300]],
    ['decimals with trailing zeros and exponents', ['1.50', '1E+2', '0.1'], 'Float64', [1.5, 100, 0.1]],
    ['a 17-digit decimal', ['415.1760325898237'], 'Float64', [415.1760325898237]],
    [
      'decimals beside an integer past 2^53',
      ['1.5', '9007199254740993'],
      'Utf8',
      ['1.5', '9007199254740993'],
    ],
    ['a decimal with no digit before the point', ['.5', '1'], 'Utf8', ['.5', '1']],
    ['a decimal with no digit after the point', ['5.', '1'], 'Utf8', ['5.', '1']],
    ['a float that overflows', ['1e400', '1'], 'Utf8', ['1e400', '1']],
    ['NaN and Infinity', ['NaN', 'Infinity'], 'Utf8', ['NaN', 'Infinity']],
    [
      'the six bool spellings',
      ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
      'Bool',
      [true, true, true, false, false, false],
    ],
    ['other bool casings', ['true', 'tRUE'], 'Utf8', ['true', 'tRUE']],
    ['0 and 1, which are integers, not bools', ['0', '1'], 'Int64', [0n, 1n]],
    ['bools mixed with integers', ['true', '1'], 'Utf8', ['true', '1']],
    ['integers mixed with text', ['1', 'x'], 'Utf8', ['1', 'x']],
    ['dates', ['2024-02-29', '1970-01-01'], 'Timestamp<MICROSECOND, UTC>', [1709164800000000n, 0n]],
    [
      'timestamps with T or space, fractions and offsets',
      [
        '2024-01-02T03:04:05Z',
        '2024-01-02 03:04:05.5',
        '2024-01-02T03:04:05.123456+02:30',
        '1969-12-31T23:59:59.999999-00:00',
      ],
      'Timestamp<MICROSECOND, UTC>',
      [1704164645000000n, 1704164645500000n, 1704155645123456n, -1n],
    ],
    [
      'the extremes of the year range',
      ['0001-01-01', '9999-12-31T23:59:59.999999Z'],
      'Timestamp<MICROSECOND, UTC>',
      [-62135596800000000n, 253402300799999999n],
    ],
    ['a non-existent date', ['2023-02-29'], 'Utf8', ['2023-02-29']],
    ['seven fraction digits', ['2024-01-01T00:00:00.1234567'], 'Utf8', ['2024-01-01T00:00:00.1234567']],
    ['a timestamp without seconds', ['2024-01-01T00:00'], 'Utf8', ['2024-01-01T00:00']],
    ['a lower-case z', ['2024-01-01T00:00:00z'], 'Utf8', ['2024-01-01T00:00:00z']],
    ['a leap second', ['2016-12-31T23:59:60Z'], 'Utf8', ['2016-12-31T23:59:60Z']],
    ['dates mixed with integers', ['2024-01-01', '5'], 'Utf8', ['2024-01-01', '5']],
    // In a one-column CSV an empty line is a blank line (skipped); "" is how a null is written.
    ['nulls around integers', ['""', '5', '""'], 'Int64', [null, 5n, null]],
    ['a column of nulls only', ['""', '""'], 'Utf8', [null, null]],
    ['a number with a surrounding space', [' 1', '2'], 'Utf8', [' 1', '2']],
    ['a quoted number', ['"7"', '8'], 'Int64', [7n, 8n]],
  ])('types %s', async (_name, cells, type, values) => {
    expect(await inferColumn(cells)).toEqual({ type, values });
  });

  it('marks every inferred field nullable', async () => {
    const { table } = await ingest(utf8('a,b\n1,x\n'));
    expect(table.schema.fields.map((f) => f.nullable)).toEqual([true, true]);
  });
});
