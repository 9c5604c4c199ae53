import { describe, expect, it } from 'vitest';
import { CompactWriter } from '../../functions/core/ingest/compact-writer.js';
import { CompactReader, I32, STRUCT, TRUE } from '../../functions/core/ingest/parquet-footer.js';

const I64 = 6;
const LIST = 9;

describe('CompactWriter', () => {
  it('writes what the footer reader reads back: long and backward field-id deltas, long lists, 53-bit and negative integers, nested structs', () => {
    const w = new CompactWriter(1);
    w.field(1, I64);
    w.int(2 ** 53 - 1);
    w.field(20, I32);
    w.int(-3);
    w.field(5, TRUE);
    w.field(6, LIST);
    w.listHeader(20, I32);
    for (let i = 0; i < 20; i++) w.int(i - 10);
    w.field(7, STRUCT);
    w.open();
    w.field(300, I64);
    w.int(-(2 ** 40));
    w.close();
    w.close();
    const seen: unknown[] = [];
    const r = new CompactReader(w.bytes());
    r.struct((id, type) => {
      if (type === LIST) {
        const [size] = r.listHeader();
        seen.push([id, Array.from({ length: size }, () => r.int())]);
      } else if (type === STRUCT) {
        r.struct((inner) => {
          seen.push([id, inner, r.int()]);
          return true;
        });
      } else seen.push([id, type === TRUE ? true : r.int()]);
      return true;
    });
    expect(seen).toEqual([
      [1, 2 ** 53 - 1],
      [20, -3],
      [5, true],
      [6, Array.from({ length: 20 }, (_, i) => i - 10)],
      [7, 300, -(2 ** 40)],
    ]);
    expect(r.position).toBe(w.bytes().length);
  });
});
