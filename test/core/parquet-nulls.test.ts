import {
  Bool,
  type Data,
  Field,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import * as wasm from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { bit } from '../../functions/core/arrow/flat-column.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingestParquet } from '../../functions/core/ingest/parquet.js';
import { readFooterLayout } from '../../functions/core/ingest/parquet-footer.js';
import { groupRuns } from '../../functions/core/ingest/parquet-rowgroups.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SplitSpec } from '../../schemas/spec.js';

const ROWS = 150_000;

/** Nulls only past row 100,000, so they fall inside some row groups and decoder batches only. */
const isNull = (r: number, every: number) => r > 100_000 && (r * 2_654_435_761) % every === 0;

function table(): Table {
  const fields = [
    new Field('id', new Int64(), false),
    new Field('i', new Int32(), true),
    new Field('f', new Float64(), true),
    new Field('b', new Bool(), true),
    new Field('s', new Utf8(), true),
  ];
  const column = <T>(f: (r: number) => T) => Array.from({ length: ROWS }, (_, r) => f(r));
  const children = [
    vectorFromArray(
      column((r) => BigInt(r)),
      new Int64(),
    ),
    vectorFromArray(
      column((r) => (isNull(r, 7) ? null : r * 3 - 1)),
      new Int32(),
    ),
    vectorFromArray(
      column((r) => (isNull(r, 5) ? null : r / 7)),
      new Float64(),
    ),
    vectorFromArray(
      column((r) => (isNull(r, 3) ? null : r % 3 !== 1)),
      new Bool(),
    ),
    vectorFromArray(
      column((r) => (isNull(r, 11) ? null : `s${r % 97}`)),
      new Utf8(),
    ),
  ].map((v) => v.data[0]!);
  const data = makeData({ type: new Struct(fields), length: ROWS, nullCount: 0, children });
  return new Table(new RecordBatch(new Schema(fields), data));
}

function parquet(source: Table, rowGroupRows: number): Uint8Array {
  const props = new wasm.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupRows).build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(source, 'stream')), props);
}

/** Indices of null slots whose value bytes (fixed width) or bit (bool) are not zero. */
function nonZeroUnderNulls(data: Data): number[] {
  const bad: number[] = [];
  if (!data.nullBitmap || data.nullCount === 0) return bad;
  const isBool = data.type instanceof Bool;
  const bytes = new Uint8Array(data.values.buffer, data.values.byteOffset, data.values.byteLength);
  const width = isBool ? 0 : bytes.length / data.length;
  for (let i = 0; i < data.length; i++) {
    if (bit(data.nullBitmap, data.offset + i)) continue;
    const under = isBool
      ? bit(bytes, data.offset + i)
      : bytes.subarray(i * width, (i + 1) * width).some((b) => b !== 0);
    if (under) bad.push(i);
  }
  return bad;
}

describe('Parquet values under nulls', () => {
  it('give the same split files whatever the row group size, with zeros under every null', async () => {
    const source = table();
    const spec = SplitSpec.parse({
      strategy: 'random',
      seed: 11,
      ratios: { train: 0.8, validation: 0.1, test: 0.1 },
    });
    const hashes: string[][] = [];
    for (const rowGroupRows of [50_000, 65_536, 70_000, ROWS]) {
      const bytes = parquet(source, rowGroupRows);
      const { artifacts } = await splitDataset(
        bytes,
        { sha256: sha256Hex(bytes), bytes: bytes.length },
        spec,
      );
      hashes.push(SPLIT_NAMES.map((name) => sha256Hex(artifacts[name])));
      let nulls = 0;
      for (const name of SPLIT_NAMES) {
        const split = tableFromIPC(artifacts[name]);
        for (const field of ['i', 'f', 'b']) {
          for (const data of split.getChild(field)!.data) {
            nulls += data.nullCount;
            expect(nonZeroUnderNulls(data)).toEqual([]);
          }
        }
      }
      expect(nulls).toBeGreaterThan(10_000);
    }
    for (const h of hashes) expect(h).toEqual(hashes[0]);
  });
});

describe('Parquet row groups per decoder call', () => {
  it('joins consecutive row groups until either budget would be passed', () => {
    expect(groupRuns([3, 3, 3, 3, 3], [1, 1, 1, 1, 1], 6, 100)).toEqual([[0, 1], [2, 3], [4]]);
    expect(groupRuns([1, 1, 1, 1], [40, 40, 40, 40], 100, 100)).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('gives a row group past a budget a call of its own', () => {
    expect(groupRuns([2, 50, 2, 2], [1, 1, 1, 1], 10, 100)).toEqual([[0], [1], [2, 3]]);
    expect(groupRuns([], [], 10, 100)).toEqual([]);
  });

  it('reads a file of many small row groups in one call', async () => {
    const bytes = parquet(table(), 1_000);
    const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8).getUint32(0, true);
    const { groupRows, groupBytes } = readFooterLayout(bytes.subarray(bytes.length - 8 - length, -8));
    expect(groupRows).toHaveLength(150);
    expect(groupRuns(groupRows, groupBytes)).toEqual([groupRows.map((_, g) => g)]);
    expect((await ingestParquet(bytes)).numRows).toBe(ROWS);
  });
});

describe('Parquet footer', () => {
  /** A small file whose FileMetaData's final STOP byte is replaced by `stop`. */
  function withStop(stop: number): Uint8Array {
    const source = new Table({ id: vectorFromArray([1n, 2n, 3n], new Int64()) });
    const bytes = wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(source, 'stream')));
    expect(bytes[bytes.length - 9]).toBe(0);
    bytes[bytes.length - 9] = stop;
    return bytes;
  }

  it('takes a field header with type 0 as STOP, as the Rust reader does', async () => {
    const bytes = withStop(0x50);
    const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8).getUint32(0, true);
    expect(readFooterLayout(bytes.subarray(bytes.length - 8 - length, -8)).groupRows).toEqual([3]);
    expect([...(await ingestParquet(bytes)).getChild('id')!]).toEqual([1n, 2n, 3n]);
  });

  it('leaves a footer its own reader refuses to the whole-file reader', async () => {
    // An unknown Thrift type where STOP was: readFooterLayout refuses it, so the error that
    // surfaces is parquet-wasm's own, not the footer reader's.
    const bytes = withStop(0x0d);
    const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8).getUint32(0, true);
    expect(() => readFooterLayout(bytes.subarray(bytes.length - 8 - length, -8))).toThrow(/Parquet footer/);
    const error = await ingestParquet(bytes).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PARQUET.CORRUPT' });
    expect((error as Error).message).not.toMatch(/Parquet footer/);
  });
});
