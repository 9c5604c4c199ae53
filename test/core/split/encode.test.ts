import { type Data, makeData, type Table, Type, tableFromIPC, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BATCH_ROWS, encodeSplit } from '../../../functions/core/arrow/encode.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { sha256Hex } from '../../../functions/core/hash.js';
import { makeTable, range } from './table-fixtures.js';
import { batchedFile } from './take-reference.js';

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

  // Builders over-allocate (64-byte blocks), and the writer emits buffers at their full length:
  // trimming them to what the values need gives the minimal form a split file holds.
  const tight = (data: Data): Data => {
    const n = data.length;
    const bits = (b: Uint8Array | undefined) => b?.subarray(0, (n + 7) >> 3);
    const props = {
      type: data.type,
      length: n,
      nullCount: data.nullCount,
      nullBitmap: data.nullCount > 0 ? bits(data.nullBitmap) : undefined,
      data:
        data.valueOffsets !== undefined
          ? data.values.subarray(0, Number(data.valueOffsets[n]))
          : data.type.typeId === Type.Bool
            ? bits(data.values)
            : data.values.subarray(0, n * data.stride),
      valueOffsets: data.valueOffsets?.subarray(0, n + 1),
    };
    return makeData(props as Parameters<typeof makeData>[0]);
  };
  // apache-arrow's own writer is the reference: the file must be byte for byte what it writes for
  // the same rows in the same batches, so readers and the golden hashes see no difference.
  const reference = (table: Table, picks: readonly number[]): Uint8Array =>
    batchedFile(table.schema, picks, (slice) =>
      table.schema.fields.map((field, c) => {
        const column = table.getChildAt(c)!;
        return tight(vectorFromArray(slice.map((r) => column.get(r)) as never[], field.type).data[0]!);
      }),
    );
  const big = BATCH_ROWS + 777;
  const wide = makeTable({
    id: ['int', range(big)],
    text: ['utf8', range(big).map((i) => (i % 97 === 0 ? null : 'x'.repeat(i % 130)))],
    flag: ['bool', range(big).map((i) => (i % 11 === 0 ? null : i % 3 === 0))],
    score: ['float', range(big).map((i) => i / 7)],
  });
  const allNullBools = makeTable({ flag: ['bool', [null, null, true, null]], id: ['int', [1, 2, 3, 4]] });
  it.each([
    ['every row in order', source, range(n)],
    ['a shuffled subset with repeats', source, [7, 3, 49, 0, 12, 12, 31]],
    ['no rows', source, []],
    ['rows that are null in every nullable column', source, [0, 60 % n]],
    ['two batches of short and long strings', wide, range(big).reverse()],
    ['a batch whose bools are all null', allNullBools, [0, 1, 3]],
  ])('writes the bytes apache-arrow writes for %s', (_what, table, picks) => {
    const bytes = encodeSplit(table.schema, flattenTable(table), Uint32Array.from(picks));
    expect(Buffer.from(bytes).equals(reference(table, picks))).toBe(true);
  });
});
