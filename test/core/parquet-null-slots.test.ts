import {
  Bool,
  type Data,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  makeData,
  makeVector,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { datasetAddress } from '../../functions/core/dataset-files.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingest } from '../../functions/core/ingest/index.js';
import { zeroParquetNullSlots } from '../../functions/core/ingest/parquet-null-slots.js';
import { splitDataset, splitFiles } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SplitSpec } from '../../schemas/spec.js';

const ROWS = 240;
const CUTS = [0, 37, 120, 121, 240];
const colors = ['red', 'green', 'blue', 'teal', 'plum'];

/** Rows lo..hi: a dictionary column, and nullable int64, float64, bool, utf8 and list columns. */
function rows(lo: number, hi: number): Table {
  const ids = Array.from({ length: hi - lo }, (_, k) => lo + k);
  const nullEvery = (n: number, v: (i: number) => unknown) => ids.map((i) => (i % n === 0 ? null : v(i)));
  return new Table({
    id: vectorFromArray(ids.map(BigInt), new Int64()),
    color: vectorFromArray(
      ids.map((i) => colors[(i * i) % (2 + Math.floor(i / 60))]!),
      new Dictionary(new Utf8(), new Int32()),
    ),
    shade: vectorFromArray(
      nullEvery(6, (i) => colors[i % 5]!),
      new Dictionary(new Utf8(), new Int32()),
    ),
    count: vectorFromArray(
      nullEvery(7, (i) => BigInt(1000 + i)),
      new Int64(),
    ),
    score: vectorFromArray(
      nullEvery(11, (i) => i * 0.37 + 1),
      new Float64(),
    ),
    flag: vectorFromArray(
      nullEvery(5, () => true),
      new Bool(),
    ),
    name: vectorFromArray(
      nullEvery(3, (i) => `name-${i}`),
      new Utf8(),
    ),
    tags: vectorFromArray(
      nullEvery(13, (i) => (i % 4 === 0 ? [null, BigInt(i)] : [BigInt(i), BigInt(i + 1)])),
      new List(new Field('item', new Int64(), true)),
    ),
  });
}

async function parquet(table: Table, rowGroupRows: number): Promise<Uint8Array> {
  const { Table: WasmTable, WriterPropertiesBuilder, writeParquet } = await import('parquet-wasm');
  const props = new WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupRows).build();
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), props);
}

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const SPECS = [
  { strategy: 'random', seed: 7, ratios },
  { strategy: 'random', seed: 7, ratios, shuffle: true },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'color' },
  { strategy: 'hash', seed: 9, ratios, key: 'id' },
].map((spec) => SplitSpec.parse(spec));

/** Every null slot of `data` and its children, as the bytes (or bit) stored there. */
function nullSlots(data: Data, out: number[] = []): number[] {
  for (const child of data.children) nullSlots(child, out);
  const bitmap = data.nullBitmap;
  if (!bitmap || data.nullCount === 0) return out;
  const valid = (i: number) => (bitmap[i >> 3]! & (1 << (i & 7))) !== 0;
  const values = data.values as Uint8Array;
  for (let i = data.offset; i < data.offset + data.length; i++) {
    if (valid(i)) continue;
    if (data.type instanceof Bool) out.push((values[i >> 3]! >> (i & 7)) & 1);
    else if (data.valueOffsets) out.push(Number(data.valueOffsets[i + 1]) - Number(data.valueOffsets[i]));
    else {
      const width = values.BYTES_PER_ELEMENT * data.stride;
      out.push(...new Uint8Array(values.buffer, values.byteOffset + i * width, width));
    }
  }
  return out;
}

describe('Parquet with a dictionary or nested column (the parquet-wasm path)', () => {
  it('holds zero bytes, bit 0 and empty values under every null, at every depth', async () => {
    for (const rowGroupRows of [240, 50, 17]) {
      const { table } = await ingest(await parquet(rows(0, ROWS), rowGroupRows));
      expect(table.getChild('color')!.type).toBeInstanceOf(Dictionary);
      for (const name of ['shade', 'count', 'score', 'flag', 'name', 'tags']) {
        const slots = table.getChild(name)!.data.flatMap((d) => nullSlots(d));
        expect(slots.length, name).toBeGreaterThan(0);
        expect(
          slots.every((b) => b === 0),
          `${name} under ${rowGroupRows}-row groups`,
        ).toBe(true);
      }
    }
  });

  it('gives the same split files as one file and as 4 files cut across other row groups', async () => {
    const whole = await parquet(rows(0, ROWS), 50);
    const sizes = [7, 64, 1, 13];
    const parts = await Promise.all(sizes.map((size, k) => parquet(rows(CUTS[k]!, CUTS[k + 1]!), size)));
    const files = parts.map((part) => ({ sha256: sha256Hex(part), bytes: part.length }));
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    for (const spec of SPECS) {
      const one = await splitDataset(whole, { sha256: sha256Hex(whole), bytes: whole.length }, spec);
      const many = await splitFiles(parts, { sha256: datasetAddress(files), bytes: total, files }, spec);
      for (const name of SPLIT_NAMES) {
        expect(sha256Hex(many.artifacts[name]), `${spec.strategy} ${name}`).toBe(
          sha256Hex(one.artifacts[name]),
        );
      }
      expect(many.manifest.splits).toEqual(one.manifest.splits);
    }
  });
});

describe('zeroParquetNullSlots', () => {
  it('empties a utf8 value a reader left under a null, keeping the other values', () => {
    const type = new Utf8();
    const data = makeData({
      type,
      length: 3,
      nullCount: 1,
      nullBitmap: Uint8Array.of(0b101),
      valueOffsets: Int32Array.of(0, 3, 6, 9),
      data: new TextEncoder().encode('abcdefghi'),
    });
    const table = zeroParquetNullSlots(new Table({ s: makeVector(data) }));
    expect(table.getChild('s')!.toArray()).toEqual(['abc', null, 'ghi']);
    expect([...table.getChild('s')!.data[0]!.valueOffsets]).toEqual([0, 3, 3, 6]);
  });
});
