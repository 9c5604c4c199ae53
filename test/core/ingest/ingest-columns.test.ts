import { describe, expect, it } from 'vitest';
import { encodeSplit } from '../../../functions/core/arrow/encode.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { type IngestOptions, ingest, ingestColumns } from '../../../functions/core/ingest/index.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const reversed = (n: number) => Uint32Array.from({ length: n }, (_, i) => n - 1 - i);

// splitDataset reads ingestColumns (text left in the source as ranges); everything else reads
// ingest's Arrow table. A split file written from either must be the same bytes.
describe('ingestColumns', () => {
  it.each<[string, string, IngestOptions]>([
    ['plain CSV text', 'id,name\n1,ann\n2,bob\n3,\n', {}],
    ['quoted CSV text with commas and line breaks', 'id,name\n1,"a, b"\n2,"two\nlines"\n3,""\n', {}],
    ['doubled quotes, which need a copy', 'id,name\n1,"say ""hi"""\n2,plain\n', {}],
    ['multi-byte UTF-8 and CRLF', 'k,v\r\n1,naïve\r\n2,日本語\r\n3,\r\n', {}],
    ['text that looks numeric, declared utf8', 'code,n\n007,1\n010,2\n', { schema: { code: 'utf8' } }],
    ['a column of nulls only', 'a,b\n1,\n2,\n', {}],
    ['semicolons', 'a;b\n1;x\n2;y\n', { delimiter: ';' }],
    ['JSON Lines with escapes and missing keys', '{"a":1,"s":"x\\ny"}\n{"a":2}\n{"s":"\\u00e9","a":3}\n', {}],
    ['JSON Lines with a repeated key', '{"s":"first","s":"last"}\n{"s":null}\n', { format: 'jsonl' }],
  ])('gives split files identical to the Arrow table for %s', async (_what, text, options) => {
    const source = utf8(text);
    const { table } = await ingest(source, options);
    const flat = await ingestColumns(source, options);
    expect(flat.rows).toBe(table.numRows);
    expect(flat.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual(
      table.schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
    );
    const rows = reversed(table.numRows);
    const expected = encodeSplit(table.schema, flattenTable(table), rows);
    expect(Buffer.from(encodeSplit(flat.schema, flat.columns, rows)).equals(expected)).toBe(true);
  });

  it.each<[string, Uint8Array, IngestOptions, string]>([
    ['an empty file', new Uint8Array(0), {}, 'DATASET.EMPTY'],
    ['a header without rows', utf8('a,b\n'), { format: 'csv' }, 'DATASET.EMPTY'],
    ['a ragged row', utf8('a,b\n1\n'), { format: 'csv' }, 'CSV.RAGGED_ROW'],
    [
      'a declared type that does not fit',
      utf8('a\nx\n'),
      { schema: { a: 'int64' } },
      'DATASET.TYPE_MISMATCH',
    ],
    [
      'a schema for a binary format',
      utf8('ARROW1'),
      { format: 'arrow', schema: { a: 'utf8' } },
      'SPEC.SCHEMA_NOT_APPLICABLE',
    ],
  ])('refuses %s with the same code as ingest', async (_what, source, options, code) => {
    await expect(ingest(source, options)).rejects.toMatchObject({ code });
    await expect(ingestColumns(source, options)).rejects.toMatchObject({ code });
  });
});
