import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { SplitvaultError } from '../../../functions/core/errors.js';
import { assignSplits } from '../../../functions/core/split/assign.js';
import { hashPoint, splitOfPoint } from '../../../functions/core/split/hash.js';
import { keyReader } from '../../../functions/core/split/keys.js';
import { SplitSpec, type SplitSpecInput } from '../../../schemas/spec.js';
import { flatColumn, makeTable, range } from './table-fixtures.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const table = makeTable({
  id: ['int', range(20)],
  label: ['utf8', range(20).map((i) => (i % 5 === 0 ? null : `c${i % 3}`))],
  user: ['int', range(20).map((i) => i % 7)],
  at: ['ts', range(20).map((i) => 1_700_000_000_000 - i * 1000)],
  score: ['float', range(20).map((i) => (i === 3 ? null : i / 2))],
});
const columns = flattenTable(table);
const assign = (input: Partial<SplitSpecInput>) =>
  assignSplits(columns, table.numRows, SplitSpec.parse({ seed: 1, ratios, strategy: 'random', ...input }));
const sorted = (a: Uint32Array) => Array.from(a).sort((x, y) => x - y);

describe('assignSplits', () => {
  it.each<Partial<SplitSpecInput>>([
    { strategy: 'random' },
    { strategy: 'stratified', stratifyBy: 'label' },
    { strategy: 'group', groupBy: 'user' },
    { strategy: 'hash', key: 'id' },
    { strategy: 'hash', groupBy: 'user' },
    { strategy: 'time', orderBy: 'at' },
    { strategy: 'random', shuffle: true },
  ])('puts every row in exactly one split for %j', (input) => {
    const s = assign(input);
    expect([...s.train, ...s.validation, ...s.test].sort((a, b) => a - b)).toEqual(range(20));
  });

  it.each(['random', 'time'] as const)('gives %s splits the exact largest-remainder counts', (strategy) => {
    const s = assign({ strategy, orderBy: 'at' });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([12, 4, 4]);
  });

  it('keeps source order within each split unless shuffle is asked', () => {
    const s = assign({ strategy: 'random' });
    expect(Array.from(s.train)).toEqual(sorted(s.train));
    const shuffled = assign({ strategy: 'random', shuffle: true });
    expect(sorted(shuffled.train)).toEqual(sorted(s.train));
    expect(Array.from(shuffled.train)).not.toEqual(sorted(s.train));
  });

  it('gives the earliest rows to train and the latest to test in a time split', () => {
    // "at" decreases with the row number, so the highest row numbers are the earliest.
    const s = assign({ strategy: 'time', orderBy: 'at' });
    expect(sorted(s.train)).toEqual(range(20).slice(8));
    expect(sorted(s.test)).toEqual(range(4));
  });

  it('keeps every group in one split', () => {
    const s = assign({ strategy: 'group', groupBy: 'user' });
    const where = new Map<number, string>();
    for (const [name, rows] of Object.entries(s))
      for (const r of rows) {
        const prior = where.get(r % 7);
        expect(prior === undefined || prior === name).toBe(true);
        where.set(r % 7, name);
      }
  });

  it('keeps each stratum within one row of its ideal share, with null as its own class', () => {
    const s = assign({ strategy: 'stratified', stratifyBy: 'label' });
    const classOf = (r: number) => (r % 5 === 0 ? 'null' : `c${r % 3}`);
    const sizes = new Map<string, number>();
    for (const r of range(20)) sizes.set(classOf(r), (sizes.get(classOf(r)) ?? 0) + 1);
    for (const [name, rows] of Object.entries(s)) {
      const total = rows.length;
      for (const [c, m] of sizes) {
        const got = Array.from(rows).filter((r) => classOf(r) === c).length;
        expect(Math.abs(got - (m * total) / 20)).toBeLessThan(1);
      }
      expect(total).toBe(name === 'train' ? 12 : 4);
    }
  });

  it.each([
    [
      'a stratifyBy column that does not exist',
      { strategy: 'stratified', stratifyBy: 'nope' },
      'SPEC.UNKNOWN_COLUMN',
      'nope',
    ],
    [
      'a groupBy column that does not exist',
      { strategy: 'group', groupBy: 'who' },
      'SPEC.UNKNOWN_COLUMN',
      'who',
    ],
    [
      'a null in the time order column',
      { strategy: 'time', orderBy: 'score' },
      'TIME.NULL_ORDER_VALUE',
      'row 4',
    ],
    [
      'a positive-ratio split that no whole group fits',
      { strategy: 'group', groupBy: 'id', ratios: { train: 0.98, validation: 0.01, test: 0.01 } },
      'SPEC.EMPTY_SPLIT',
      '"validation"',
    ],
  ] as const)('refuses %s with a stable code', (_what, input, code, mention) => {
    const run = () => assign(input as Partial<SplitSpecInput>);
    expect(run).toThrow(SplitvaultError);
    expect(run).toThrow(mention);
    try {
      run();
    } catch (e) {
      expect((e as SplitvaultError).code).toBe(code);
    }
  });

  it('refuses an empty dataset', () => {
    expect(() => assignSplits([], 0, SplitSpec.parse({ strategy: 'random', seed: 1, ratios }))).toThrow(
      expect.objectContaining({ code: 'DATASET.EMPTY' }),
    );
  });
});

describe('canonical keys', () => {
  it.each([
    ['int', [5, -3, null], ['i5', 'i-3', 'n']],
    ['float', [2, -0, 0.5, Number.NaN], ['i2', 'i0', 'f3fe0000000000000', 'f7ff8000000000000']],
    ['utf8', ['héllo', '', null], ['sh\u00c3\u00a9llo', 's', 'n']],
    ['bool', [true, false], ['b1', 'b0']],
    ['ts', [1_700_000_000_000], ['t1700000000000000/microsecond']],
  ] as const)('encodes %s values as documented', (type, values, keys) => {
    const col = flatColumn(type, [...values]);
    const key = keyReader(col, 'a key');
    expect(values.map((_, i) => key(i))).toEqual(keys);
  });
});

describe('hash mapping', () => {
  it.each([
    [42, 'sabc', 0.6737794013846755],
    [0, 'i1', null],
  ])('maps seed %i and key %s to a point in [0, 1)', (seed, key, expected) => {
    const u = hashPoint(seed, key);
    expect(u >= 0 && u < 1).toBe(true);
    if (expected !== null) expect(u).toBe(expected);
  });

  it.each([
    [0.59, { train: 0.6, validation: 0.2, test: 0.2 }, 0],
    [0.6, { train: 0.6, validation: 0.2, test: 0.2 }, 1],
    [0.99, { train: 0.6, validation: 0.2, test: 0.2 }, 2],
    [0.7, { train: 0.6, validation: 0, test: 0.4 }, 2],
    [1, { train: 0.5, validation: 0.5, test: 0 }, 1],
    [0.3, { train: 0, validation: 0, test: 1 }, 2],
  ])('puts point %d with ratios %j in split %i', (u, r, split) => {
    expect(splitOfPoint(u, r)).toBe(split);
  });
});
