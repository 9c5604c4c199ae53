import { describe, expect, it } from 'vitest';
import { ingest, MAX_COLUMNS } from '../../../functions/core/ingest/index.js';
import { columnValues, utf8 } from './table-values.js';

async function csvColumns(text: string, delimiter?: ',' | '\t' | ';' | '|') {
  const { table, format } = await ingest(utf8(text), delimiter ? { delimiter } : {});
  expect(format).toBe('csv');
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, columnValues(table, f.name)]));
}

describe('CSV dialect', () => {
  it.each([
    ['LF line breaks', 'a,b\nx,y\nz,w\n', { a: ['x', 'z'], b: ['y', 'w'] }],
    ['CRLF line breaks', 'a,b\r\nx,y\r\nz,w\r\n', { a: ['x', 'z'], b: ['y', 'w'] }],
    ['no final line break', 'a,b\nx,y', { a: ['x'], b: ['y'] }],
    ['a final CR with no LF', 'a,b\r\nx,y\r', { a: ['x'], b: ['y'] }],
    ['a UTF-8 byte-order mark', '\uFEFFa,b\nx,y\n', { a: ['x'], b: ['y'] }],
    ['a quoted delimiter', 'a,b\n"x,1",y\n', { a: ['x,1'], b: ['y'] }],
    ['doubled quotes', 'a\n"say ""hi"""\n', { a: ['say "hi"'] }],
    ['a quoted LF and CRLF', 'a,b\n"l1\nl2\r\nl3",y\n', { a: ['l1\nl2\r\nl3'], b: ['y'] }],
    ['a quoted header', '"a ""q""",b\nx,y\n', { 'a "q"': ['x'], b: ['y'] }],
    ['blank lines, which are skipped', 'a,b\n\nx,y\r\n\r\nz,w\n\n', { a: ['x', 'z'], b: ['y', 'w'] }],
    [
      'empty and quoted-empty fields, which are null',
      'a,b,c\nx,,""\n,y,\n',
      { a: ['x', null], b: [null, 'y'], c: [null, null] },
    ],
    ['a trailing delimiter at the end of the file', 'a,b\nx,', { a: ['x'], b: [null] }],
    ['spaces, which are kept', 'a,b\n x , y\n', { a: [' x '], b: [' y'] }],
    ['a quote inside an unquoted field, kept as a character', 'a\nab"c\n', { a: ['ab"c'] }],
    ['multi-byte UTF-8', 'ä,b\nü€,😀\n', { ä: ['ü€'], b: ['😀'] }],
  ])('reads %s', async (_name, text, expected) => {
    expect(await csvColumns(text)).toEqual(expected);
  });

  it.each([
    ['\t', 'a\tb\nx,1\ty\n'],
    [';', 'a;b\nx,1;y\n'],
    ['|', 'a|b\nx,1|y\n'],
  ] as const)('splits on the configured delimiter %j', async (delimiter, text) => {
    expect(await csvColumns(text, delimiter)).toEqual({ a: ['x,1'], b: ['y'] });
  });

  it('reads a single 10 MB field', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const columns = await csvColumns(`a,b\n"${big}",1\n`);
    expect((columns.a![0] as string).length).toBe(big.length);
    expect(columns.b).toEqual([1n]);
  });

  it('reads a CSV with 10,000 columns, the most it accepts', async () => {
    const names = Array.from({ length: MAX_COLUMNS }, (_, i) => `c${i}`);
    const { table } = await ingest(utf8(`${names.join(',')}\n${names.map((_, i) => i).join(',')}\n`));
    expect(table.numCols).toBe(MAX_COLUMNS);
    expect(columnValues(table, `c${MAX_COLUMNS - 1}`)).toEqual([BigInt(MAX_COLUMNS - 1)]);
  });

  it('refuses a CSV with 100,000 columns with a clear error instead of stalling', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
    await expect(ingest(utf8(`${header}\n${header}\n`))).rejects.toMatchObject({
      code: 'DATASET.TOO_MANY_COLUMNS',
      message: expect.stringContaining('100000 columns'),
    });
  });
});
