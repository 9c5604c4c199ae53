import type { Schema } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_ROWS, encodeSplit } from '../../../functions/core/arrow/encode.js';
import { type FlatColumn, flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { readRowBlocks } from '../../../functions/core/arrow/row-block.js';
import { splitPartBytes, unpackSplitPart } from '../../../functions/core/arrow/split-part-bytes.js';
import {
  encodeSplitPart,
  type SplitPart,
  SplitPartsCombiner,
} from '../../../functions/core/arrow/split-parts.js';
import { encodeDictionaries } from '../../../functions/core/arrow/split-writer.js';
import { concatBytes } from '../../../functions/core/concat-bytes.js';
import { KIND_NAMES, randomTable } from './random-tables.js';
import { cutting, type Piece, piecesOf } from './write-pieces.js';

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** Every piece encoded on its own (as a shard would), optionally through bytes, then combined in order. */
function combine(
  schema: Schema,
  dictionaryColumns: readonly FlatColumn[],
  pieces: readonly Piece[],
  viaBytes: boolean,
) {
  let startOf = 0;
  const parts: SplitPart[] = pieces.map((p) => {
    const part = encodeSplitPart(schema, p.columns, p.rows, startOf);
    startOf += p.rows.length;
    return viaBytes ? unpackSplitPart(splitPartBytes(part)) : part;
  });
  const combiner = new SplitPartsCombiner(schema, { dictionaries: encodeDictionaries(dictionaryColumns) });
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    chunks.push(...combiner.add(part));
    expect(combiner.pendingRows).toBeLessThan(BATCH_ROWS);
  }
  return concatBytes([...chunks, ...combiner.finish()]);
}

describe('split parts', () => {
  it('combine into the bytes of encodeSplit for random tables of every column kind and random shard cuts', () => {
    const args = fc.record({
      seed: fc.integer(),
      rows: fc.integer({ min: 1, max: 120 }),
      kinds: fc.array(fc.constantFrom(...KIND_NAMES), { minLength: 1, maxLength: 6 }),
      garbage: fc.boolean(),
      nullShare: fc.constantFrom(0, 0.3, 0.7, 1),
      viaBytes: fc.boolean(),
    });
    fc.assert(
      fc.property(
        args.chain((t) => fc.tuple(fc.constant(t), cutting(t.rows))),
        ([t, c]) => {
          const table = randomTable(t.seed, t);
          const whole = flattenTable(table);
          const expected = encodeSplit(table.schema, whole, Uint32Array.from(c.picks));
          const pieces = piecesOf(table, whole, c);
          expect(same(combine(table.schema, whole, pieces, t.viaBytes), expected)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  const rows = 3 * BATCH_ROWS + 1_234;
  const big = randomTable(11, {
    rows,
    kinds: ['int64', 'bool', 'largeUtf8', 'largeList', 'dictionary', 'fixedList', 'null'],
    garbage: true,
    nullShare: 0.5,
  });
  const bigColumns = flattenTable(big);
  /** The big table cut into shards at `cuts`, every `dropEvery`-th row left out of the split. */
  const shardsAt = (cuts: readonly number[], dropEvery: number) => {
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), rows];
    const pieces: Piece[] = [];
    const picks: number[] = [];
    for (let s = 0; s + 1 < bounds.length; s++) {
      const [from, to] = [bounds[s]!, bounds[s + 1]!];
      const local: number[] = [];
      for (let i = from; i < to; i++) if (i % dropEvery !== 0) local.push(i - from);
      for (const i of local) picks.push(i + from);
      pieces.push({ columns: flattenTable(big.slice(from, to)), rows: Uint32Array.from(local) });
    }
    return { pieces, expected: encodeSplit(big.schema, bigColumns, Uint32Array.from(picks)) };
  };

  it('combine whole batches and edges stitched across shards into the bytes of encodeSplit past 65,536 rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: rows }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2, max: 5 }),
        fc.boolean(),
        (cuts, dropEvery, viaBytes) => {
          const { pieces, expected } = shardsAt(cuts, dropEvery);
          expect(same(combine(big.schema, bigColumns, pieces, viaBytes), expected)).toBe(true);
        },
      ),
      { numRuns: 3 },
    );
  });

  // Every 4th row left out: row r sits at split position r − ceil(r / 4), so row 87,382 starts batch 1.
  it.each([
    ['a shard with no whole batch crosses a boundary', [87_000, 88_000, 175_000]],
    ["a shard's head edge completes a batch before its whole batches", [50_000, 180_000]],
    ['one-row shards sit on either side of a boundary', [87_381, 87_382, 87_383]],
  ])('combine into the bytes of encodeSplit when %s', (_what, cuts) => {
    const { pieces, expected } = shardsAt(cuts, 4);
    expect(same(combine(big.schema, bigColumns, pieces, true), expected)).toBe(true);
  });

  it('puts the whole batches inside a shard in the part and the rows around them in its edges', () => {
    const table = randomTable(2, {
      rows: 2 * BATCH_ROWS + 10,
      kinds: ['int32'],
      garbage: false,
      nullShare: 0,
    });
    const rows = Uint32Array.from({ length: BATCH_ROWS + 20 }, (_, i) => i);
    const part = encodeSplitPart(table.schema, flattenTable(table), rows, BATCH_ROWS - 5);
    expect(part.batches).toHaveLength(1);
    expect([readRowBlocks([part.head]).rows, readRowBlocks([part.tail]).rows]).toEqual([5, 15]);
  });

  it('refuses a part that does not start where the parts before it ended', () => {
    const table = randomTable(2, { rows: 10, kinds: ['int32'], garbage: false, nullShare: 0 });
    const part = encodeSplitPart(table.schema, flattenTable(table), Uint32Array.of(1, 2), 3);
    expect(() => new SplitPartsCombiner(table.schema).add(part)).toThrow(
      /starting at split row 3 follows 0 rows/,
    );
  });

  it('refuses a part whose whole batches do not match its range', () => {
    const table = randomTable(2, { rows: 10, kinds: ['int32'], garbage: false, nullShare: 0 });
    const part = encodeSplitPart(table.schema, flattenTable(table), Uint32Array.of(1, 2), 0);
    const combiner = new SplitPartsCombiner(table.schema);
    expect(() => combiner.add({ ...part, batches: [part.head as never] })).toThrow(/whole batches/);
  });
});
