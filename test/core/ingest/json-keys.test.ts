import type { Struct } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { columnValues, schemaOf, utf8 } from './table-values.js';

describe('JSON keys holding an escaped lone surrogate', () => {
  it('names a JSON Lines column U+FFFD where its key is an escaped lone surrogate', async () => {
    const { table } = await ingest(utf8('{"id":1,"\\ud800":1}\n{"id":2,"\\udc00x":"a"}\n'));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', '\uFFFD', '\uFFFDx']);
  });

  it('reads an escaped lone surrogate key and a literal U+FFFD key as one column, the last value winning', async () => {
    const { table } = await ingest(utf8('{"\\ud800":1,"\uFFFD":2}\n{"\uFFFD":3}\n'));
    expect(schemaOf(table)).toEqual(['\uFFFD:Int64']);
    expect(columnValues(table, '\uFFFD')).toEqual([2n, 3n]);
  });

  it('names a nested struct field U+FFFD where its key is an escaped lone surrogate, in JSON Lines and JSON alike', async () => {
    for (const text of ['{"m":{"\\udc00":1,"k":2}}\n', '[{"m":{"\\udc00":1,"k":2}}]']) {
      const { table } = await ingest(utf8(text));
      const type = table.schema.fields[0]!.type as Struct;
      expect(type.children.map((f) => f.name)).toEqual(['\uFFFD', 'k']);
    }
  });

  it('writes an escaped lone surrogate key inside a json fallback value as U+FFFD', async () => {
    const { table } = await ingest(utf8('{"m":{"\\ud800":1}}\n{"m":[1]}\n'));
    expect(columnValues(table, 'm')).toEqual(['{"\uFFFD":1}', '[1]']);
  });
});

describe('a key repeated within one row object', () => {
  it('types the column by the last value when an object or array was overwritten by a scalar', async () => {
    const { table } = await ingest(utf8('{"a":[1],"a":"2024-01-01T00:00:00Z"}\n{"a":{"x":1},"a":2}\n'));
    expect(schemaOf(table)).toEqual(['a:Utf8']);
    const { table: plain } = await ingest(utf8('{"a":"2024-01-01T00:00:00Z"}\n'));
    const { table: repeated } = await ingest(utf8('{"a":[1],"a":"2024-01-01T00:00:00Z"}\n'));
    expect(schemaOf(repeated)).toEqual(schemaOf(plain));
    expect(schemaOf(plain)).toEqual(['a:Timestamp<MICROSECOND, UTC>']);
  });

  it('keeps a column nested when a scalar was overwritten by an object', async () => {
    const { table } = await ingest(utf8('{"a":1,"a":{"x":1}}\n{"a":{"x":2}}\n'));
    expect((table.schema.fields[0]!.type as Struct).children.map((f) => f.name)).toEqual(['x']);
  });
});

describe('CSV header names', () => {
  it('cannot hold a lone surrogate: its bytes would be invalid UTF-8, and a backslash escape is literal text', async () => {
    const surrogateBytes = Uint8Array.of(0x61, 0x2c, 0xed, 0xa0, 0x80, 0x0a, 0x31, 0x2c, 0x32, 0x0a);
    await expect(ingest(surrogateBytes)).rejects.toMatchObject({ code: 'DATASET.INVALID_UTF8' });
    const { table } = await ingest(utf8('a,\\ud800\n1,2\n'));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', '\\ud800']);
  });
});
