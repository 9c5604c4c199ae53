import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { columnValues, schemaOf, utf8 } from './table-values.js';

async function jsonl(text: string) {
  const { table, format } = await ingest(utf8(text));
  expect(format).toBe('jsonl');
  const columns = Object.fromEntries(table.schema.fields.map((f) => [f.name, columnValues(table, f.name)]));
  return { schema: schemaOf(table), columns };
}

describe('JSON Lines', () => {
  it.each([
    [
      'keys in order of first appearance, missing keys as null',
      '{"b":1,"a":"x"}\n{"c":true}\n{"a":"y","b":2}\n',
      ['b:Int64', 'a:Utf8', 'c:Bool'],
      { b: [1n, null, 2n], a: ['x', null, 'y'], c: [null, true, null] },
    ],
    ['blank lines and CRLF', '\n{"a":1}\r\n\r\n  \n{"a":2}', ['a:Int64'], { a: [1n, 2n] }],
    ['explicit nulls', '{"a":null}\n{"a":1.5}\n', ['a:Float64'], { a: [null, 1.5] }],
    ['integers with decimals', '{"a":1}\n{"a":2.5e0}\n', ['a:Float64'], { a: [1, 2.5] }],
    [
      'an integer past 2^53, kept as its text',
      '{"a":9007199254740993}\n{"a":1}\n',
      ['a:Utf8'],
      { a: ['9007199254740993', '1'] },
    ],
    ['numeric strings, which stay strings', '{"a":"1"}\n{"a":"2"}\n', ['a:Utf8'], { a: ['1', '2'] }],
    ['a string "true", which stays a string', '{"a":"true"}\n', ['a:Utf8'], { a: ['true'] }],
    [
      'timestamp strings',
      '{"t":"2024-01-02T03:04:05Z"}\n',
      ['t:Timestamp<MICROSECOND, UTC>'],
      { t: [1704164645000000n] },
    ],
    [
      'numbers mixed with strings, as text',
      '{"a":1}\n{"a":"x"}\n{"a":true}\n',
      ['a:Utf8'],
      { a: ['1', 'x', 'true'] },
    ],
    ['string escapes', '{"a":"q\\"\\u00e9\\n\\ud83d\\ude00"}\n', ['a:Utf8'], { a: ['q"é\n😀'] }],
    ['escaped keys', '{"k\\u0031":1}\n', ['k1:Int64'], { k1: [1n] }],
    ['a repeated key, whose last value wins', '{"a":1,"a":2}\n', ['a:Int64'], { a: [2n] }],
    [
      'a key written once plainly and once escaped as one column',
      '{"a":1}\n{"\\u0061":2}\n',
      ['a:Int64'],
      { a: [1n, 2n] },
    ],
    [
      'keys in a different order on each line',
      '{"a":1,"b":"x"}\n{"b":"y","a":2}\n',
      ['a:Int64', 'b:Utf8'],
      { a: [1n, 2n], b: ['x', 'y'] },
    ],
    ['the empty key as a column name', '{"":1}\n', [':Int64'], { '': [1n] }],
    ['an empty string, which is not null', '{"a":""}\n{"a":"x"}\n', ['a:Utf8'], { a: ['', 'x'] }],
  ])('reads %s', async (_name, text, schema, columns) => {
    expect(await jsonl(text)).toEqual({ schema, columns });
  });
});
