import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BATCH_ROWS, encodeSplit } from '../../../functions/core/arrow/encode.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { sha256Hex } from '../../../functions/core/hash.js';
import { makeTable, range } from './table-fixtures.js';

const n = 50;
const source = makeTable({
  id: ['int', range(n)],
  name: ['utf8', range(n).map((i) => (i % 4 === 0 ? null : `név-${i}`.repeat(i % 3)))],
  flag: ['bool', range(n).map((i) => (i % 6 === 0 ? null : i % 2 === 0))],
  score: ['float', range(n).map((i) => (i % 5 === 0 ? null : i * 1.5))],
  at: ['ts', range(n).map((i) => 1_700_000_000_000 + i)],
});
const rowsOf = (t: { toArray(): { toJSON(): unknown }[] }) =>
  t.toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));

describe('encodeSplit', () => {
  it.each([
    ['every row in order', range(n)],
    ['a shuffled subset', [7, 3, 49, 0, 12, 12 + 1, 31]],
    ['no rows', []],
    ['a single null-heavy row', [0]],
  ])('round-trips %s with the source schema', (_what, picks) => {
    const rows = Uint32Array.from(picks);
    const bytes = encodeSplit(source.schema, flattenTable(source), rows);
    const back = tableFromIPC(bytes);
    expect(back.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual(
      source.schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
    );
    const all = rowsOf(source);
    expect(rowsOf(back)).toEqual(picks.map((i) => all[i]));
  });

  it('writes identical bytes for identical input', () => {
    const rows = Uint32Array.from([5, 1, 9, 2]);
    const a = encodeSplit(source.schema, flattenTable(source), rows);
    const b = encodeSplit(source.schema, flattenTable(source), rows.slice());
    expect(sha256Hex(a)).toBe(sha256Hex(b));
  });

  it('reads a source of many chunks as if it were one', () => {
    const chunked = source.slice(0, 20).concat(source.slice(20, 33), source.slice(33));
    expect(chunked.batches.length).toBeGreaterThan(1);
    const rows = Uint32Array.from([40, 2, 21, 33, 19, 0]);
    const one = encodeSplit(source.schema, flattenTable(source), rows);
    const many = encodeSplit(chunked.schema, flattenTable(chunked), rows);
    expect(sha256Hex(many)).toBe(sha256Hex(one));
  });

  it('cuts record batches at the fixed batch size', () => {
    const big = makeTable({ id: ['int', range(BATCH_ROWS + 10)] });
    const back = tableFromIPC(
      encodeSplit(big.schema, flattenTable(big), Uint32Array.from(range(BATCH_ROWS + 10))),
    );
    expect(back.batches.map((b) => b.numRows)).toEqual([BATCH_ROWS, 10]);
  });
});
