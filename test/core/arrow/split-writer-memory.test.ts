import { Bool, Data, makeData, Table, Utf8, Vector, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BATCH_ROWS, encodeSplit } from '../../../functions/core/arrow/encode.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { SplitFileWriter } from '../../../functions/core/arrow/split-writer.js';
import { sha256Hex, sha256Stream } from '../../../functions/core/hash.js';
import { prng } from './random-tables.js';

describe('SplitFileWriter memory', () => {
  /** A large table built from typed arrays (fast): int32, bool and utf8 with bytes under their nulls. */
  const bigTable = (rows: number): Table => {
    const r = prng(1);
    const bits = () => Uint8Array.from({ length: (rows + 7) >> 3 }, () => Math.floor(r() * 256));
    const nulls = (bitmap: Uint8Array) => rows - bitmap.reduce((n, b) => n + popcount(b), 0);
    const over = (data: Data): Data => {
      const bitmap = bits();
      bitmap[bitmap.length - 1]! &= (1 << (rows & 7 || 8)) - 1;
      const buffers = [data.valueOffsets, data.values, bitmap, undefined];
      return new Data(data.type, 0, rows, nulls(bitmap), buffers as never, data.children);
    };
    const ints = vectorFromArray(Int32Array.from({ length: rows }, (_, i) => i * 7)).data[0]!;
    const flags = makeData({ type: new Bool(), length: rows, data: bits() });
    const words = vectorFromArray(
      Array.from({ length: rows }, (_, i) => `w${i % 977}`),
      new Utf8(),
    ).data[0]!;
    return new Table({
      id: new Vector([over(ints)]),
      flag: new Vector([over(flags)]),
      word: new Vector([over(words)]),
    });
  };
  const popcount = (b: number) => {
    let n = 0;
    for (let x = b; x > 0; x >>= 1) n += x & 1;
    return n;
  };

  // The memory note of the writer: whatever the shard count, it holds under one batch of rows,
  // and the file's SHA-256 is one pass over the chunks as they come.
  it('holds fewer than 65,536 rows at every step of a 1M-row split written from 64 shards', () => {
    const rows = 1_000_000;
    const table = bigTable(rows);
    const writer = new SplitFileWriter(table.schema);
    const hash = sha256Stream();
    let bytes = 0;
    let most = 0;
    const per = Math.ceil(rows / 64);
    for (let from = 0; from < rows; from += per) {
      const to = Math.min(from + per, rows);
      const local = Uint32Array.from({ length: to - from }, (_, i) => i);
      for (const chunk of writer.append(flattenTable(table.slice(from, to)), local)) {
        hash.update(chunk);
        bytes += chunk.byteLength;
      }
      most = Math.max(most, writer.pendingRows);
    }
    for (const chunk of writer.finish()) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
    const expected = encodeSplit(
      table.schema,
      flattenTable(table),
      Uint32Array.from({ length: rows }, (_, i) => i),
    );
    expect(most).toBeLessThan(BATCH_ROWS);
    expect(most).toBeGreaterThan(0);
    expect(bytes).toBe(expected.byteLength);
    expect(hash.hex()).toBe(sha256Hex(expected));
  });
});
