import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../functions/core/ingest/index.js';
import { utf8 } from './table-values.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/ingest/${name}`, import.meta.url)));

describe('sniffFormat', () => {
  it.each([
    ['a Parquet file', fixture('table-snappy.parquet'), 'parquet'],
    [
      'a Parquet file cut short (leading magic only)',
      fixture('table-zstd.parquet').subarray(0, 100),
      'parquet',
    ],
    ['an Arrow IPC file', fixture('table.arrow'), 'arrow'],
    ['an Arrow IPC stream', fixture('table.arrows'), 'arrow-stream'],
    ['JSON Lines', utf8('{"a":1}\n'), 'jsonl'],
    ['JSON Lines after a BOM and blank lines', utf8('\uFEFF\n  \r\n {"a":1}\n'), 'jsonl'],
    ['CSV', utf8('a,b\n1,2\n'), 'csv'],
    ['a JSON array', utf8('[{"a":1}]'), 'json'],
    ['a JSON array after a BOM and blank lines', utf8('\uFEFF\n \t\r\n[\n{"a":1}]'), 'json'],
    [
      'a CSV whose first cell starts with "[" as a JSON array (name csv to read it)',
      utf8('[1]\n2\n'),
      'json',
    ],
    [
      'bytes that start with the stream marker but carry no schema message',
      new Uint8Array([255, 255, 255, 255, 9, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]),
      'csv',
    ],
    ['an empty buffer', new Uint8Array(0), 'csv'],
  ])('recognizes %s', (_name, bytes, format) => {
    expect(sniffFormat(bytes)).toBe(format);
  });
});
