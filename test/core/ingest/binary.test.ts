import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import type { DatasetFormat } from '../../../schemas/spec.js';
import { columnValues } from './table-values.js';

/** Written by test/fixtures/ingest/make-fixtures.py from these values. */
const EXPECTED = {
  id: [1n, 2n, 3n, 9007199254740993n, -5n],
  score: [0.5, null, -1.25, 1e300, 3],
  label: ['a', 'b,c', null, 'ünïcode', ''],
  flag: [true, false, null, true, false],
  at: [0n, 1700000000123456n, null, -1n, 253402300799999999n],
  small: [1, 2, 3, null, -2147483648],
};
const SCHEMA = [
  'id:Int64:false',
  'score:Float64:true',
  'label:Utf8:true',
  'flag:Bool:true',
  'at:Timestamp<MICROSECOND, UTC>:true',
  'small:Int32:true',
];

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/ingest/${name}`, import.meta.url)));

describe('binary formats', () => {
  it.each([
    ['table-snappy.parquet', 'parquet'],
    ['table-zstd.parquet', 'parquet'],
    ['table-gzip.parquet', 'parquet'],
    ['table-none.parquet', 'parquet'],
    ['table.arrow', 'arrow'],
    ['table.arrows', 'arrow-stream'],
  ] as const)('reads %s with its schema and values intact', async (name, format) => {
    const { table, format: sniffed } = await ingest(fixture(name));
    expect(sniffed).toBe(format);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`)).toEqual(SCHEMA);
    const values = Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, columnValues(table, name)]));
    expect(values).toEqual(EXPECTED);
  });

  const cut = (name: string, drop: number) => {
    const bytes = fixture(name);
    return bytes.subarray(0, bytes.length - drop);
  };
  const garble = (name: string) => {
    const bytes = fixture(name).slice();
    for (let i = 8; i < bytes.length - 8; i++) bytes[i] = (i * 7) & 0xff;
    return bytes;
  };

  it.each([
    ['a truncated Parquet file', cut('table-snappy.parquet', 100), undefined, 'PARQUET.CORRUPT'],
    ['a Parquet file with its footer garbled', garble('table-zstd.parquet'), undefined, 'PARQUET.CORRUPT'],
    [
      'bytes declared Parquet that are not',
      new TextEncoder().encode('a,b\n1,2\n'),
      'parquet',
      'PARQUET.CORRUPT',
    ],
    ['a truncated Arrow file', cut('table.arrow', 100), undefined, 'ARROW.CORRUPT'],
    ['an Arrow file with its metadata garbled', garble('table.arrow'), undefined, 'ARROW.CORRUPT'],
    [
      'an Arrow stream cut before its end-of-stream marker',
      cut('table.arrows', 8),
      undefined,
      'ARROW.CORRUPT',
    ],
    ['an Arrow stream cut mid-batch', fixture('table.arrows').subarray(0, 1000), undefined, 'ARROW.CORRUPT'],
    ['an Arrow stream with its metadata garbled', garble('table.arrows'), 'arrow-stream', 'ARROW.CORRUPT'],
  ] as const)('refuses %s with a typed error', async (_name, bytes, format, code) => {
    const options: { format?: DatasetFormat } = format ? { format } : {};
    await expect(ingest(bytes, options)).rejects.toMatchObject({ name: 'DatasetError', code });
  });

  it('keeps the reader failure as the cause', async () => {
    const error = await ingest(garble('table-zstd.parquet')).catch((e: unknown) => e);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
