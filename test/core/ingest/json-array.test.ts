import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import type { SplitSpec } from '../../../schemas/spec.js';
import { plainRows } from './nested-values.js';
import { schemaOf, utf8 } from './table-values.js';

const ref = (bytes: Uint8Array) => ({ sha256: '0'.repeat(64), bytes: bytes.byteLength });
const spec = (patch: Partial<SplitSpec>): SplitSpec =>
  ({
    strategy: 'random',
    seed: 5,
    ratios: { train: 0.6, validation: 0.2, test: 0.2 },
    ...patch,
  }) as SplitSpec;

const ROWS = [
  '{"id":1,"name":"a","score":1.5,"ok":true,"ts":"2024-01-02T03:04:05Z"}',
  '{"name":"b\\u00e9","id":2,"extra":null}',
  '{"id":3,"score":2,"ok":false,"name":"c"}',
  '{"id":4,"name":"","score":-0,"n":"42"}',
  '{"id":5,"name":"e","id":6}',
];

describe('JSON array files', () => {
  it('reads an array of objects like the JSON Lines file of the same objects', async () => {
    const lines = await ingest(utf8(`${ROWS.join('\n')}\n`));
    const array = await ingest(utf8(`\uFEFF [\n  ${ROWS.join(',\n  ')}\n]\n`));
    expect(array.format).toBe('json');
    expect(schemaOf(array.table)).toEqual(schemaOf(lines.table));
    expect(schemaOf(array.table)).toEqual([
      'id:Int64',
      'name:Utf8',
      'score:Float64',
      'ok:Bool',
      'ts:Timestamp<MICROSECOND, UTC>',
      'extra:Utf8',
      'n:Utf8',
    ]);
    expect(plainRows(array.table)).toEqual(plainRows(lines.table));
  });

  it.each([
    ['random', {}],
    ['stratified', { strategy: 'stratified', stratifyBy: 'ok' }],
    ['hash', { strategy: 'hash', key: 'id' }],
    ['time', { strategy: 'time', orderBy: 'ts', seed: 0 }],
  ] as const)('writes the same %s split files from a JSON array as from JSON Lines', async (_n, patch) => {
    const rows = Array.from(
      { length: 40 },
      (_, i) =>
        `{"id":${i},"name":"n${i % 7}","ok":${i % 3 === 0},"ts":"2024-01-${String((i % 28) + 1).padStart(2, '0')}"}`,
    );
    const jsonl = utf8(`${rows.join('\n')}\n`);
    const json = utf8(`[${rows.join(',')}]`);
    const a = await splitDataset(jsonl, ref(jsonl), spec(patch as Partial<SplitSpec>));
    const b = await splitDataset(json, ref(json), spec(patch as Partial<SplitSpec>));
    expect(b.manifest.dataset.format).toBe('json');
    expect(b.manifest.dataset.schema).toEqual(a.manifest.dataset.schema);
    expect(b.manifest.splits).toEqual(a.manifest.splits);
    for (const name of ['train', 'validation', 'test'] as const) {
      expect(Buffer.from(b.artifacts[name]).equals(Buffer.from(a.artifacts[name]))).toBe(true);
    }
  });

  it('splits a column that falls back to canonical JSON text to the same files from both formats', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `{"id":${i},"v":${i % 2 ? `[${i}]` : `{"k":"${i}"}`}}`);
    const jsonl = utf8(rows.join('\n'));
    const json = utf8(`[${rows.join(',')}]`);
    const a = await splitDataset(jsonl, ref(jsonl), spec({}));
    const b = await splitDataset(json, ref(json), spec({}));
    expect(a.manifest.dataset.schema.map((f) => f.type)).toEqual(['Int64', 'Utf8']);
    for (const name of ['train', 'validation', 'test'] as const) {
      expect(Buffer.from(b.artifacts[name]).equals(Buffer.from(a.artifacts[name]))).toBe(true);
    }
  });

  it('applies an explicit schema to a JSON array as to JSON Lines', async () => {
    const { table } = await ingest(utf8('[{"a":"42","b":7}]'), { schema: { a: 'int64', b: 'utf8' } });
    expect(schemaOf(table)).toEqual(['a:Int64', 'b:Utf8']);
    expect(plainRows(table)).toEqual([{ a: 42n, b: '7' }]);
  });

  it('refuses an empty array or an array of empty objects as an empty dataset', async () => {
    await expect(ingest(utf8('[]'))).rejects.toMatchObject({ code: 'DATASET.EMPTY' });
    await expect(ingest(utf8('[ {} , {} ]'))).rejects.toMatchObject({ code: 'DATASET.EMPTY' });
  });

  it.each([
    ['an array that is never closed', '[{"a":1},\n{"a":2}', 'JSON.UNCLOSED_ARRAY', 2, 17],
    ['an array cut after its "["', '[\n', 'JSON.UNCLOSED_ARRAY', 2, 2],
    ['text after the closing "]"', '[{"a":1}]\n[{"a":2}]', 'JSON.TRAILING_DATA', 2, 10],
    ['an element that is a number', '[{"a":1},\n 2]', 'JSON.NOT_OBJECT', 2, 11],
    ['an element that is an array', '[[{"a":1}]]', 'JSON.NOT_OBJECT', 1, 1],
    ['a comma before "]"', '[{"a":1},]', 'JSON.INVALID_JSON', 1, 9],
    ['a missing comma between elements', '[{"a":1} {"a":2}]', 'JSON.INVALID_JSON', 1, 9],
    ['an object broken on its third line', '[{\n"a":\n1 2}]', 'JSON.INVALID_JSON', 3, 10],
    ['a broken nested value', '[{"a":\n[1,,2]}]', 'JSON.INVALID_JSON', 2, 10],
    ['a value nested 65 deep', `[{"a":${'['.repeat(65)}${']'.repeat(65)}}]`, 'JSON.TOO_DEEP', 1, 70],
  ])('refuses %s with a stable code, the line and the byte offset', async (_n, text, code, line, offset) => {
    await expect(ingest(utf8(text), { format: 'json' })).rejects.toMatchObject({
      kind: 'unprocessable',
      code,
      details: { line, offset },
    });
  });

  it('refuses JSON Lines named as json with JSON.NOT_ARRAY', async () => {
    await expect(ingest(utf8('{"a":1}\n'), { format: 'json' })).rejects.toMatchObject({
      code: 'JSON.NOT_ARRAY',
      details: { line: 1, offset: 0 },
    });
  });
});
