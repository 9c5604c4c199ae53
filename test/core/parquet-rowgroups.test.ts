import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  LargeUtf8,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Timestamp,
  TimeUnit,
  tableFromIPC,
  tableToIPC,
  Uint8,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import * as wasm from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import {
  type BinaryColumn,
  bit,
  type FlatColumn,
  flattenTable,
} from '../../functions/core/arrow/flat-column.js';
import { DecodeBudget } from '../../functions/core/ingest/decode-budget.js';
import { ingestParquet } from '../../functions/core/ingest/parquet.js';
import { readFooterLayout } from '../../functions/core/ingest/parquet-footer.js';
import { readByRowGroup } from '../../functions/core/ingest/parquet-rowgroups.js';

/** Deterministic values: the same file on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Column {
  name: string;
  type: DataType;
  nullable: boolean;
  values: (row: number, next: () => number) => unknown;
}

const ROWS_WITH_NULLS = (row: number) => row >= 300 && row < 350 && row % 3 === 0;

const MIXED: Column[] = [
  { name: 'id', type: new Int64(), nullable: false, values: (r) => BigInt(r) * 1_000_003n - 7n },
  {
    name: 'f',
    type: new Float64(),
    nullable: true,
    values: (r, n) => (ROWS_WITH_NULLS(r) ? null : n() * 1e6 - 5e5),
  },
  { name: 'b', type: new Bool(), nullable: true, values: (r, n) => (r % 97 === 5 ? null : n() < 0.5) },
  {
    name: 's',
    type: new Utf8(),
    nullable: true,
    values: (r, n) => (r > 600 && r % 11 === 0 ? null : r % 5 === 0 ? '' : `v${Math.floor(n() * 1e4)}-ü`),
  },
  {
    name: 'ts',
    type: new Timestamp(TimeUnit.MILLISECOND, 'UTC'),
    nullable: true,
    values: (r) => 1_700_000_000_000 + r * 1000,
  },
  { name: 'i32', type: new Int32(), nullable: true, values: (r) => (r % 13 === 0 ? null : r - 500) },
];

const MORE_TYPES: Column[] = [
  { name: 'u8', type: new Uint8(), nullable: false, values: (r) => r % 256 },
  { name: 'f32', type: new Float32(), nullable: true, values: (r) => (r % 7 === 0 ? null : r / 8) },
  { name: 'day', type: new DateDay(), nullable: true, values: (r) => new Date(Date.UTC(2020, 0, 1 + r)) },
  { name: 'big', type: new LargeUtf8(), nullable: true, values: (r) => (r % 9 === 0 ? null : `large-${r}`) },
  {
    name: 'bin',
    type: new Binary(),
    nullable: false,
    values: (r) => new Uint8Array(r % 4).fill(r % 251),
  },
  { name: 'us', type: new Timestamp(TimeUnit.MICROSECOND), nullable: false, values: (r) => r * 17 },
];

function arrowTable(columns: Column[], rows: number): Table {
  const next = random(42);
  const fields = columns.map((c) => new Field(c.name, c.type, c.nullable));
  const children = columns.map((c) => {
    const values = Array.from({ length: rows }, (_, r) => c.values(r, next));
    return vectorFromArray(values, c.type).data[0]!;
  });
  const data = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table(new RecordBatch(new Schema(fields), data));
}

function parquet(table: Table, rowGroupRows: number, compression = wasm.Compression.SNAPPY): Uint8Array {
  const props = new wasm.WriterPropertiesBuilder()
    .setMaxRowGroupSize(rowGroupRows)
    .setCompression(compression)
    .build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
}

/** What ingest did before reading row group by row group: the whole file as one IPC stream. */
function wholeTable(bytes: Uint8Array): Table {
  return tableFromIPC(wasm.readParquet(bytes, { batchSize: 65_536 }).intoIPCStream());
}

async function rowGroupCount(bytes: Uint8Array): Promise<number> {
  const file = await wasm.ParquetFile.fromFile(new Blob([bytes]));
  const groups = file.metadata().numRowGroups();
  file.free();
  return groups;
}

/** A binary column's cells as bytes, read through whichever offset arrays the flattener keeps. */
function cells(column: BinaryColumn): Buffer[] {
  const c = column as unknown as Record<string, ArrayLike<number> | undefined> & { data: Uint8Array };
  const start = (i: number) => Number((c.starts ?? c.offsets)![i]);
  const end = (i: number) => Number(c.ends ? c.ends[i] : c.offsets![i + 1]);
  return Array.from({ length: column.length }, (_, i) => Buffer.from(c.data.subarray(start(i), end(i))));
}

const describeField = (f: Field) => [f.name, String(f.type), f.type.typeId, f.nullable, [...f.metadata]];

/**
 * The flattened values with every null slot zeroed: Parquet stores nothing under a null and the
 * whole-file reader leaves whatever its buffers held there, while ingest writes zeros.
 */
function canonical(column: FlatColumn): Uint8Array {
  if (column.kind !== 'fixed' && column.kind !== 'bool')
    throw new Error('only fixed and bool columns are compared');
  const out = (column.kind === 'fixed' ? column.bytes : column.bits).slice();
  if (!column.validity) return out;
  for (let i = 0; i < column.length; i++) {
    if (bit(column.validity, i)) continue;
    if (column.kind === 'fixed') out.fill(0, i * column.width, (i + 1) * column.width);
    else out[i >> 3]! &= ~(1 << (i & 7));
  }
  return out;
}

/**
 * Same schema and values, and the same bytes once flattened (what split files are built from),
 * with zeros under nulls.
 */
function expectSameTable(actual: Table, expected: Table): void {
  expect(actual.schema.fields.map(describeField)).toEqual(expected.schema.fields.map(describeField));
  expect(actual.schema.fields.map((f) => f.type)).toEqual(expected.schema.fields.map((f) => f.type));
  expect([...actual.schema.metadata]).toEqual([...expected.schema.metadata]);
  expect(actual.numRows).toBe(expected.numRows);
  for (let i = 0; i < expected.numCols; i++) {
    expect([...actual.getChildAt(i)!]).toEqual([...expected.getChildAt(i)!]);
  }
  const flatActual = flattenTable(actual);
  const flatExpected = flattenTable(expected);
  flatExpected.forEach((e, i) => {
    const a = flatActual[i]!;
    expect(a.kind).toBe(e.kind);
    expect(a.validity && [...a.validity]).toEqual(e.validity && [...e.validity]);
    if (a.kind === 'fixed' && e.kind === 'fixed') {
      const bytes = a.bytes.subarray(0, a.length * a.width);
      expect(Buffer.from(bytes).equals(Buffer.from(canonical(e)))).toBe(true);
    }
    if (a.kind === 'bool' && e.kind === 'bool') expect([...a.bits]).toEqual([...canonical(e)]);
    if (a.kind === 'binary' && e.kind === 'binary') {
      expect(cells(a)).toEqual(cells(e));
    }
  });
}

describe('Parquet ingest by row group', () => {
  it.each([
    ['several row groups, nulls in some of them only', MIXED, 1000, 128, 8],
    ['row groups of a size that is not a multiple of 8', MIXED, 1000, 77, 13],
    ['one row group', MIXED, 500, 10_000, 1],
    ['a single row', MIXED, 1, 10, 1],
    ['more fixed and binary types, uneven groups', MORE_TYPES, 700, 99, 8],
  ] as const)(
    'reads %s as the whole-file reader does, one chunk per column',
    async (_name, columns, rows, groupRows, groups) => {
      const bytes = parquet(arrowTable([...columns], rows), groupRows);
      expect(await rowGroupCount(bytes)).toBe(groups);
      const table = await ingestParquet(bytes);
      expectSameTable(table, wholeTable(bytes));
      expect(table.batches).toHaveLength(1);
      for (let i = 0; i < table.numCols; i++) expect(table.getChildAt(i)!.data).toHaveLength(1);
      // One aligned chunk: flattening views the decoded values instead of copying them.
      for (const column of flattenTable(table)) {
        if (column.kind === 'fixed') expect(column.bytes.byteOffset % 8).toBe(0);
      }
    },
  );

  it('keeps no null bitmap for a column whose row groups hold no nulls', async () => {
    const table = await ingestParquet(parquet(arrowTable(MIXED, 400), 64));
    const flat = flattenTable(table);
    expect(flat.find((c) => c.name === 'id')!.validity).toBeNull();
    expect(flat.find((c) => c.name === 'ts')!.validity).toBeNull();
    expect(flat.find((c) => c.name === 'f')!.validity).not.toBeNull();
  });

  it('reads byte-array columns in row windows across row groups as the whole-file reader does', async () => {
    const bytes = parquet(arrowTable([...MIXED, ...MORE_TYPES], 20_000), 7_000);
    // A 2 MiB budget decodes about 1 MiB per call: a 4,096-row probe, then windows that start
    // and end inside row groups.
    const table = (await ingestParquet(bytes, new DecodeBudget(2 * 2 ** 20))) as Table;
    expectSameTable(table, wholeTable(bytes));
    expect(table.batches).toHaveLength(1);
  });

  it('starts a new RecordBatch when 32-bit-offset data would overflow its cap', async () => {
    const bytes = parquet(arrowTable(MIXED, 1000), 50);
    // Calls of 100 rows, so batches are small enough to cross the cap between them.
    const table = (await readByRowGroup(wasm, bytes, 600, { rows: 100, bytes: 2 ** 30 })) as Table;
    expect(table.batches.length).toBeGreaterThan(2);
    expectSameTable(table, wholeTable(bytes));
  });

  it('reads a list column, which the flat path does not build, as the whole-file reader does, row group by row group', async () => {
    const listType = new List(new Field('item', new Int32(), true));
    const columns: Column[] = [
      MIXED[0]!,
      { name: 'xs', type: listType, nullable: true, values: (r) => (r % 3 === 0 ? null : [r, r + 1]) },
    ];
    const bytes = parquet(arrowTable(columns, 300), 64);
    const table = (await ingestParquet(bytes)) as Table;
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      wholeTable(bytes).schema.fields.map((f) => `${f.name}:${f.type}`),
    );
    expect(
      table
        .getChild('xs')!
        .toJSON()
        .map((v) => v && [...v]),
    ).toEqual(
      wholeTable(bytes)
        .getChild('xs')!
        .toJSON()
        .map((v) => v && [...v]),
    );
  });

  it("reads row counts and column sizes from the footer as the reader's metadata gives them", async () => {
    const bytes = parquet(arrowTable([...MIXED, ...MORE_TYPES], 1000), 77);
    const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8).getUint32(0, true);
    const layout = readFooterLayout(bytes.subarray(bytes.length - 8 - length, bytes.length - 8));
    const file = await wasm.ParquetFile.fromFile(new Blob([bytes]));
    const groups = file.metadata().rowGroups();
    expect(layout.groupRows).toEqual(groups.map((g) => g.numRows()));
    const sizes = groups[0]!
      .columns()
      .map((_, i) => groups.reduce((sum, g) => sum + g.column(i).uncompressedSize(), 0));
    expect(layout.columnBytes).toEqual(sizes);
    file.free();
  });

  it.each([
    ['nested without end', new Uint8Array(200).fill(0x1c)],
    ['cut off mid-field', new Uint8Array([0x15, 0x80, 0x80])],
    ['with an unknown type', new Uint8Array([0x1d])],
  ])('refuses a footer %s with an error', (_name, metadata) => {
    expect(() => readFooterLayout(metadata)).toThrow(/Parquet footer/);
  });

  const valid = () => parquet(arrowTable(MIXED, 1000), 128);
  it.each([
    ['cut short', (b: Uint8Array) => b.subarray(0, b.length >> 1)],
    [
      'cut short but still ending in PAR1',
      (b: Uint8Array) => concat(b.subarray(0, b.length >> 1), b.subarray(-4)),
    ],
    ['with its column data overwritten', (b: Uint8Array) => b.slice().fill(0xa5, 4, b.length >> 1)],
    ['with its footer length garbled', (b: Uint8Array) => b.slice().fill(0xff, b.length - 8, b.length - 4)],
  ])('refuses a file %s as PARQUET.CORRUPT', async (_name, damage) => {
    await expect(ingestParquet(damage(valid()))).rejects.toMatchObject({
      name: 'DatasetError',
      code: 'PARQUET.CORRUPT',
    });
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
