import {
  Dictionary,
  Field,
  FixedSizeList,
  Int8,
  Int32,
  List,
  makeData,
  Struct,
  Table,
  tableToIPC,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import { arrowDictionaryIndexOutside, arrowListOffsetPatched } from '../../fixtures/nested-damage.js';

const file = (columns: Record<string, Vector>) => tableToIPC(new Table(columns), 'file');

/** The file with the first run of `from` bytes (in the body) replaced by `to`. */
function patch(bytes: Uint8Array, from: number[], to: number[]): Uint8Array {
  const hay = Buffer.from(bytes);
  const at = hay.indexOf(Buffer.from(from), 8);
  if (at < 0) throw new Error('pattern not found');
  const out = Uint8Array.from(bytes);
  out.set(to, at);
  return out;
}
const int32s = (...xs: number[]) => [...new Uint8Array(Int32Array.from(xs).buffer)];

const item = new Field('item', new Int32(), true);
const lists = () => vectorFromArray([[1, 2], [3, 4], [5]], new List(item));

describe('ingest of damaged nested Arrow IPC', () => {
  it('reads an intact list column', async () => {
    const { table } = await ingest(file({ xs: lists() }));
    expect(table.numRows).toBe(3);
  });

  it.each([
    ['a list offset past the end of its items', () => arrowListOffsetPatched(500)],
    [
      'list offsets that go backwards',
      () => patch(file({ xs: lists() }), int32s(0, 2, 4, 5), int32s(0, 4, 2, 5)),
    ],
    [
      'a fixed-size list whose items are fewer than its rows need',
      () => {
        const child = makeData({ type: new Int32(), length: 4, data: Int32Array.of(1, 2, 3, 4) });
        const type = new FixedSizeList(2, item);
        return file({ xs: new Vector([makeData({ type, length: 3, nullCount: 0, child })]) });
      },
    ],
    [
      'a struct whose field is shorter than its rows',
      () => {
        const child = makeData({ type: new Int32(), length: 1, data: Int32Array.of(1) });
        const type = new Struct([new Field('a', new Int32(), true)]);
        return file({ s: new Vector([makeData({ type, length: 3, nullCount: 0, children: [child] })]) });
      },
    ],
    ['a dictionary index outside its dictionary', arrowDictionaryIndexOutside],
  ])('refuses %s with ARROW.CORRUPT', async (_what, bytes) => {
    await expect(ingest(bytes())).rejects.toMatchObject({ code: 'ARROW.CORRUPT' });
  });
});

describe('the decode budget on dictionary columns', () => {
  // Three record batches sharing one dictionary of 100 values of 10,000 bytes (1 MB of entries).
  const dictionary = vectorFromArray(
    Array.from({ length: 100 }, (_, i) => String(i).padEnd(10_000, 'x')),
    new Utf8(),
  );
  const type = new Dictionary(new Utf8(), new Int8());
  const chunk = () => makeData({ type, length: 4, data: Int8Array.of(0, 1, 2, 3), dictionary });
  const bytes = file({ d: new Vector([chunk(), chunk(), chunk()]) });

  it('counts a dictionary against the budget', async () => {
    await expect(ingest(bytes, { maxDecodedBytes: 500_000 })).rejects.toMatchObject({
      code: 'DATASET.TOO_LARGE_DECODED',
    });
  });

  it('counts a dictionary the batches share once, not once per batch', async () => {
    const { table } = await ingest(bytes, { maxDecodedBytes: 1_500_000 });
    expect(table.batches.length).toBe(3);
  });
});
