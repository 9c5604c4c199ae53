import {
  Dictionary,
  Float64,
  Int16,
  IntervalYearMonth,
  makeData,
  makeVector,
  Table,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { assignSplits } from '../../../functions/core/split/assign.js';
import { keyReader } from '../../../functions/core/split/keys.js';
import { SplitSpec, type SplitSpecInput } from '../../../schemas/spec.js';
import { nestedTable } from './nested-fixtures.js';
import { range } from './table-fixtures.js';

const n = 200;
const words = range(n).map((i) => (i % 11 === 0 ? null : `w${(i * 7) % 41}`));
const numbers = range(n).map((i) =>
  i % 13 === 0 ? null : ([0, -0, Number.NaN][i % 7] ?? ((i * 3) % 37) / 4),
);
// Three chunks with different dictionaries (so the split files' dictionary is a unified one),
// against plain columns of the same values.
const dictionaryOf = <T>(values: (T | null)[], type: Dictionary) =>
  new Vector([0, 70, 140].map((from) => vectorFromArray(values.slice(from, from + 70), type).data[0]!));
const table = new Table({
  word: vectorFromArray(words, new Utf8()),
  wordCategory: dictionaryOf(words, new Dictionary(new Utf8(), new Int16())),
  number: vectorFromArray(numbers, new Float64()),
  numberCategory: dictionaryOf(numbers, new Dictionary(new Float64(), new Int16())),
});
const columns = flattenTable(table);
const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const assign = (input: Partial<SplitSpecInput>) =>
  assignSplits(columns, n, SplitSpec.parse({ seed: 7, ratios, strategy: 'random', ...input }));

describe('keys of dictionary columns', () => {
  it('unifies the chunks into a dictionary that differs from every chunk', () => {
    const dictionary = columns[1]!;
    expect(dictionary.kind).toBe('dictionary');
    expect(new Set(table.getChild('wordCategory')!.data.map((d) => d.dictionary)).size).toBe(3);
  });

  it.each([
    ['word', 'wordCategory'],
    ['number', 'numberCategory'],
  ])('gives every row of %s and its dictionary-encoded twin the same key', (plain, encoded) => {
    const a = keyReader(columns.find((c) => c.name === plain)!, 'a key');
    const b = keyReader(columns.find((c) => c.name === encoded)!, 'a key');
    expect(range(n).map(b)).toEqual(range(n).map(a));
  });

  it.each<[string, (column: string) => Partial<SplitSpecInput>]>([
    ['stratified', (column) => ({ strategy: 'stratified', stratifyBy: column })],
    ['group', (column) => ({ strategy: 'group', groupBy: column })],
    ['hash on a key', (column) => ({ strategy: 'hash', key: column })],
    ['hash on a group', (column) => ({ strategy: 'hash', groupBy: column })],
  ])('assigns %s splits by a dictionary column exactly as by the plain column', (_what, spec) => {
    expect(assign(spec('wordCategory'))).toEqual(assign(spec('word')));
    expect(assign(spec('numberCategory'))).toEqual(assign(spec('number')));
  });
});

describe('keys of nested columns', () => {
  const nested = nestedTable(30);
  const flat = flattenTable(nested);
  const nestedAssign = (input: Partial<SplitSpecInput>) =>
    assignSplits(flat, 30, SplitSpec.parse({ seed: 7, ratios, strategy: 'random', ...input }));
  it.each(['tokens', 'embedding', 'record', 'attrs', 'nothing'])(
    'refuses %s as a stratify, group, hash or order key, naming the column and its type',
    (column) => {
      const type = String(nested.getChild(column)!.type);
      for (const input of [
        { strategy: 'stratified', stratifyBy: column },
        { strategy: 'group', groupBy: column },
        { strategy: 'hash', key: column },
        { strategy: 'time', orderBy: column },
      ] as const) {
        expect(() => nestedAssign(input)).toThrow(
          expect.objectContaining({
            code: 'SPEC.UNSUPPORTED_COLUMN_TYPE',
            details: expect.objectContaining({ column, type }),
          }),
        );
      }
    },
  );

  it('still splits a table with nested columns at random', () => {
    const s = nestedAssign({ strategy: 'random' });
    expect(s.train.length + s.validation.length + s.test.length).toBe(30);
  });
});

describe('keys of dictionaries whose values have none', () => {
  it('refuses a dictionary of intervals, naming the dictionary column and its type', () => {
    const type = new Dictionary(new IntervalYearMonth(), new Int16());
    const months = makeData({ type: new IntervalYearMonth(), length: 2, data: new Int32Array([14, 25]) });
    const indices = makeData({
      type,
      length: 3,
      data: new Int16Array([0, 1, 0]),
      dictionary: makeVector(months),
    });
    const column = flattenTable(new Table({ d: makeVector(indices) }));
    expect(() => keyReader(column[0]!, 'a group key')).toThrow(
      expect.objectContaining({
        code: 'SPEC.UNSUPPORTED_COLUMN_TYPE',
        details: { column: 'd', type: String(type), role: 'a group key' },
      }),
    );
  });
});
