import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { plainRows } from './nested-values.js';
import { schemaOf, utf8 } from './table-values.js';

/** JSON Lines of one column `a`, one value per line (`-` leaves the key out). */
const lines = (...values: string[]) => utf8(values.map((v) => (v === '-' ? '{}' : `{"a":${v}}`)).join('\n'));

describe('nested inference and unification', () => {
  it.each([
    ['a list of integers', ['[1,2]', '[3]'], 'List<Int64>', [[1n, 2n], [3n]]],
    ['int and float in one list, unified to float64', ['[1,2.5]', '[3]'], 'List<Float64>', [[1, 2.5], [3]]],
    ['int and float across rows', ['[1]', '[2.5e0]'], 'List<Float64>', [[1], [2.5]]],
    ['-0 inside a list, a float', ['[-0]'], 'List<Float64>', [[-0]]],
    ['bools and strings', ['[true,null]', '["x"]'], 'List<Utf8>', [['true', null], ['"x"']]],
    ['strings, never timestamps', ['["2024-01-02"]'], 'List<Utf8>', [['2024-01-02']]],
    ['escaped strings', ['["q\\"\\u00e9"]'], 'List<Utf8>', [['q"é']]],
    ['an empty list alone, its element Utf8', ['[]'], 'List<Utf8>', [[]]],
    ['lists of nulls only, element Utf8', ['[null,null]', '[]'], 'List<Utf8>', [[null, null], []]],
    ['an empty list then integers', ['[]', '[7]'], 'List<Int64>', [[], [7n]]],
    ['null and missing rows', ['[1]', 'null', '-'], 'List<Int64>', [[1n], null, null]],
    [
      'lists of lists',
      ['[[1],[]]', '[null,[2,3]]'],
      'List<List<Int64>>',
      [
        [[1n], []],
        [null, [2n, 3n]],
      ],
    ],
    [
      'objects as structs, fields in order of first appearance',
      ['{"y":1,"x":"s"}', '{"z":true,"y":2}'],
      'Struct<{y:Int64, x:Utf8, z:Bool}>',
      [
        { y: 1n, x: 's', z: null },
        { y: 2n, x: null, z: true },
      ],
    ],
    [
      'a repeated key inside an object, whose last value wins',
      ['{"k":1,"k":[2]}'],
      'Struct<{k:List<Int64>}>',
      [{ k: [2n] }],
    ],
    ['an empty object', ['{}', '{"k":1}'], 'Struct<{k:Int64}>', [{ k: null }, { k: 1n }]],
    ['a field that is always null, Utf8', ['{"k":null}'], 'Struct<{k:Utf8}>', [{ k: null }]],
    [
      'a list of structs unified across elements',
      ['[{"p":1},{"q":[1.5]}]'],
      'List<Struct<{p:Int64, q:List<Float64>}>>',
      [
        [
          { p: 1n, q: null },
          { p: null, q: [1.5] },
        ],
      ],
    ],
    [
      'an object against an array, canonical JSON text',
      ['{"b":2,"a":1}', '[1, 2.0]'],
      'Utf8',
      ['{"a":1,"b":2}', '[1,2]'],
    ],
    [
      'a nested value against a string or number at the top level',
      ['[1]', '"x"', '2.50', 'true'],
      'Utf8',
      ['[1]', '"x"', '2.5', 'true'],
    ],
    [
      'canonical JSON text: sorted keys, ECMAScript numbers, lone surrogates as U+FFFD',
      [
        '[1]',
        '{"s":"\\ud800","n":-0,"b":1e21,"c":2.0,"d":1E-7,"é":1,"a":[ ],"\\udc00":1,"s":"t"}',
        '"\\ud800"',
      ],
      'Utf8',
      ['[1]', '{"a":[],"b":1e+21,"c":2,"d":1e-7,"n":0,"s":"t","é":1,"\ufffd":1}', '"\ufffd"'],
    ],
    [
      'a conflict deep down, which stays local',
      ['{"k":[1],"m":1}', '{"k":{"z":1e2}}'],
      'Struct<{k:Utf8, m:Int64}>',
      [
        { k: '[1]', m: 1n },
        { k: '{"z":100}', m: null },
      ],
    ],
  ])('types %s', async (_name, values, type, expected) => {
    const { table } = await ingest(lines(...values), { format: 'jsonl' });
    expect(schemaOf(table)).toEqual([`a:${type}`]);
    expect(plainRows(table).map((r) => r.a)).toEqual(expected);
  });

  it('leaves every field nullable, and names a list child "item"', async () => {
    const { table } = await ingest(lines('[{"k":1}]'));
    const list = table.schema.fields[0]!;
    expect(list.nullable).toBe(true);
    const item = list.type.children[0]!;
    expect(item.name).toBe('item');
    expect(item.nullable).toBe(true);
    expect(item.type.children[0]!.nullable).toBe(true);
  });

  it('keeps flat columns of a table with nested ones exactly as before', async () => {
    const { table } = await ingest(
      utf8('{"n":1,"t":"2024-01-02","l":[1]}\n{"n":"x","t":"2024-01-03","l":[]}'),
    );
    expect(schemaOf(table)).toEqual(['n:Utf8', 't:Timestamp<MICROSECOND, UTC>', 'l:List<Int64>']);
    expect(plainRows(table).map((r) => r.n)).toEqual(['1', 'x']);
  });

  it('writes nothing under a null list and a null slot in every child under a null struct', async () => {
    const { table } = await ingest(lines('[1,2]', 'null', '[3]'));
    const data = table.getChild('a')!.data[0]!;
    expect([...data.valueOffsets]).toEqual([0, 2, 2, 3]);
    expect(data.children[0]!.length).toBe(3);
    const struct = (await ingest(lines('{"p":1,"q":[4]}', 'null'))).table.getChild('a')!.data[0]!;
    expect(struct.children.map((c) => [c.length, c.nullCount])).toEqual([
      [2, 1],
      [2, 1],
    ]);
    expect([...struct.children[1]!.valueOffsets]).toEqual([0, 1, 1]);
    expect(Array.from(struct.children[0]!.values as BigInt64Array)).toEqual([1n, 0n]);
  });

  it('refuses a nested number that neither int64 nor float64 holds, naming the column and line', async () => {
    await expect(ingest(lines('[1]', '[9007199254740993]'))).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'JSONL.UNREPRESENTABLE_NUMBER',
      details: { line: 2, column: 'a', value: '9007199254740993' },
    });
    await expect(ingest(utf8('[{"a":[1]},\n{"a":{"b":[1e400]}}]'))).rejects.toMatchObject({
      code: 'JSON.UNREPRESENTABLE_NUMBER',
      details: { line: 2, column: 'a', value: '1e400' },
    });
  });

  it('reads a nested column declared utf8 as the source text of each value', async () => {
    const { table } = await ingest(lines('[1, 2]', '{"k": "v"}', '3'), { schema: { a: 'utf8' } });
    expect(schemaOf(table)).toEqual(['a:Utf8']);
    expect(plainRows(table).map((r) => r.a)).toEqual(['[1, 2]', '{"k": "v"}', '3']);
  });

  it('refuses a nested column declared as another type with DATASET.TYPE_MISMATCH', async () => {
    await expect(ingest(lines('1', '[2]'), { schema: { a: 'int64' } })).rejects.toMatchObject({
      code: 'DATASET.TYPE_MISMATCH',
      details: { column: 'a', row: 2, value: '[2]', type: 'int64' },
    });
  });

  it('accepts 64 levels of nesting and refuses 65 with JSONL.TOO_DEEP', async () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const { table } = await ingest(lines(deep(64)));
    expect(String(table.schema.fields[0]!.type)).toBe(`${'List<'.repeat(64)}Utf8${'>'.repeat(64)}`);
    await expect(ingest(lines(deep(65)))).rejects.toMatchObject({
      code: 'JSONL.TOO_DEEP',
      details: { line: 1, column: 'a', limit: 64 },
    });
  });
});
