import { Null, Table, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { toProblem } from '../../../functions/api/problem.js';
import { type FlatColumn, flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { assignShards, summarizeShard } from '../../../functions/core/shard/sharded-assign.js';
import { SplitSpec } from '../../../schemas/spec.js';
import { makeTable, range } from '../split/table-fixtures.js';
import { shardedOutcome, wholeOutcome } from './support/parity.js';
import { cutIntoShards } from './support/slice-columns.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const spec = (fields: Record<string, unknown>) => SplitSpec.parse({ seed: 1, ratios, ...fields });

/** The sharded outcome under several cuts, each checked against the whole table's. */
function expectParity(columns: FlatColumn[], rows: number, s: SplitSpec, cutsList: number[][]): unknown {
  const whole = wholeOutcome(columns, rows, s);
  for (const cuts of cutsList)
    expect(shardedOutcome(cutIntoShards(columns, rows, cuts), s, false)).toEqual(whole);
  return whole;
}

const errorOf = (outcome: unknown) => (outcome as { error: { code: string; details: unknown } }).error;

describe('sharded assignment refuses what the one-process engine refuses', () => {
  it('names the first null order value of the dataset, though a later shard also has one', () => {
    const t = [5, 4, null, 3, 2, 1, null, 0];
    const columns = flattenTable(makeTable({ t: ['int', t] }));
    const whole = expectParity(columns, 8, spec({ strategy: 'time', orderBy: 't' }), [
      [],
      [1],
      [3, 5],
      [6],
      [0, 0, 8],
    ]);
    expect(errorOf(whole)).toMatchObject({ code: 'TIME.NULL_ORDER_VALUE', details: { column: 't', row: 3 } });
  });

  it('names a NaN order value at its 1-based global row', () => {
    const columns = flattenTable(makeTable({ t: ['float', [1, 2, 3, 4, Number.NaN, 6]] }));
    const whole = expectParity(columns, 6, spec({ strategy: 'time', orderBy: 't' }), [[2], [4, 5], [0, 3]]);
    expect(errorOf(whole)).toMatchObject({ code: 'TIME.INVALID_ORDER_VALUE', details: { row: 5 } });
  });

  it('refuses a split with a positive ratio and no rows with SPEC.EMPTY_SPLIT', () => {
    const columns = flattenTable(makeTable({ k: ['int', [1, 1, 1]] }));
    const whole = expectParity(columns, 3, spec({ strategy: 'group', groupBy: 'k' }), [[1], [1, 2], [0, 3]]);
    expect(errorOf(whole)).toMatchObject({ code: 'SPEC.EMPTY_SPLIT' });
  });

  it('refuses a dataset of empty shards only with DATASET.EMPTY, reading no column', () => {
    const columns = flattenTable(makeTable({ k: ['int', []] }));
    for (const strategy of ['random', 'time', 'stratified-group'] as const) {
      const s = spec({ strategy, orderBy: 'nope', stratifyBy: 'nope', groupBy: 'nope' });
      const whole = expectParity(columns, 0, s, [[], [0, 0]]);
      expect(errorOf(whole)).toMatchObject({ code: 'DATASET.EMPTY' });
    }
    expect(() => assignShards([], spec({ strategy: 'random' }))).toThrow(
      expect.objectContaining({ code: 'DATASET.EMPTY' }),
    );
  });

  it('refuses an unknown column with SPEC.UNKNOWN_COLUMN from any non-empty shard', () => {
    const columns = flattenTable(makeTable({ k: ['int', range(10)] }));
    const whole = expectParity(columns, 10, spec({ strategy: 'hash', key: 'id' }), [[0, 0, 4], [9]]);
    expect(errorOf(whole)).toMatchObject({
      code: 'SPEC.UNKNOWN_COLUMN',
      details: { field: 'key', column: 'id' },
    });
  });

  it('counts classes across shards: more than 256 is SPEC.TOO_MANY_CLASSES, though no shard holds 256', () => {
    const columns = flattenTable(makeTable({ c: ['int', range(300)], g: ['int', range(300)] }));
    const s = spec({ strategy: 'stratified-group', stratifyBy: 'c', groupBy: 'g' });
    const whole = expectParity(columns, 300, s, [[150], [100, 200]]);
    expect(errorOf(whole)).toMatchObject({
      code: 'SPEC.TOO_MANY_CLASSES',
      details: { classes: 300, limit: 256 },
    });
  });

  it('checks the class count before the groupBy type, as the one-process engine does', () => {
    const base = makeTable({ c: ['int', range(300)] });
    const table = new Table({
      c: base.getChild('c')!,
      g: vectorFromArray(new Array(300).fill(null), new Null()),
    });
    const columns = flattenTable(table);
    const many = expectParity(
      columns,
      300,
      spec({ strategy: 'stratified-group', stratifyBy: 'c', groupBy: 'g' }),
      [[150]],
    );
    expect(errorOf(many).code).toBe('SPEC.TOO_MANY_CLASSES');
    const few = flattenTable(
      new Table({
        c: makeTable({ c: ['int', range(300).map((i) => i % 3)] }).getChild('c')!,
        g: table.getChild('g')!,
      }),
    );
    const refused = expectParity(
      few,
      300,
      spec({ strategy: 'stratified-group', stratifyBy: 'c', groupBy: 'g' }),
      [[150], [0, 299]],
    );
    expect(errorOf(refused)).toMatchObject({
      code: 'SPEC.UNSUPPORTED_COLUMN_TYPE',
      details: { column: 'g' },
    });
  });

  it('refuses a summary made for another strategy', () => {
    const columns = flattenTable(makeTable({ k: ['int', range(4)] }));
    const summary = summarizeShard({ rows: 4, columns }, spec({ strategy: 'random' }));
    expect(() => assignShards([summary], spec({ strategy: 'group', groupBy: 'k' }))).toThrow(
      /strategy random/,
    );
  });
});

describe('a shuffled split too large for one worker', () => {
  const columns = flattenTable(makeTable({ k: ['int', range(100)] }));
  const shards = cutIntoShards(columns, 100, [30, 60]);

  it('is refused with SPEC.SHUFFLE_TOO_LARGE naming the split, its rows and the limit', () => {
    const s = spec({ strategy: 'random', shuffle: true });
    const summaries = shards.map((shard) => summarizeShard(shard, s));
    expect(() => assignShards(summaries, s, { maxShuffleRows: 59 })).toThrow(
      expect.objectContaining({
        code: 'SPEC.SHUFFLE_TOO_LARGE',
        kind: 'unprocessable',
        details: { split: 'train', rows: 60, limit: 59 },
      }),
    );
    expect(assignShards(summaries, s, { maxShuffleRows: 60 }).shuffledOrder('train')).toHaveLength(60);
  });

  it('is answered as a 422 problem with its code', () => {
    const s = spec({ strategy: 'random', shuffle: true });
    let thrown: unknown;
    try {
      assignShards(
        shards.map((shard) => summarizeShard(shard, s)),
        s,
        { maxShuffleRows: 10 },
      );
    } catch (err) {
      thrown = err;
    }
    expect(toProblem(thrown)).toMatchObject({ status: 422, code: 'SPEC.SHUFFLE_TOO_LARGE' });
  });

  it('does not limit a split that is not shuffled', () => {
    const s = spec({ strategy: 'random' });
    const result = assignShards(
      shards.map((shard) => summarizeShard(shard, s)),
      s,
      { maxShuffleRows: 1 },
    );
    expect(result.counts).toEqual({ train: 60, validation: 20, test: 20 });
  });
});
