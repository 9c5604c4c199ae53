import {
  Field,
  Int32,
  LargeList,
  List,
  makeData,
  makeVector,
  Struct,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../functions/core/ingest/index.js';
import {
  dictionaryIndexPastEnd,
  listOffsetPastEnd,
  truncatedEmbedding,
} from '../../fixtures/arrow-input-bombs.js';
import { arrowInput, batchPlaces } from '../../fixtures/arrow-patch.js';

const plain = (v: unknown): unknown => {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return [...v];
  if (v && typeof v === 'object' && 'toJSON' in v) return plain((v as { toJSON(): unknown }).toJSON());
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return [...(v as unknown[])].map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
};
const rows = (table: Table, name: string) => [...table.getChild(name)!].map(plain);

/** Written by test/fixtures/ingest/arrow-inputs/make.py (NESTED) from these values. */
const NESTED = {
  id: [1, 2, 3, 4],
  tokens: [[101, 7, 102], [], null, [5]],
  words: [['a', null], null, ['bb', 'ccc'], []],
  embedding: [[0.5, 1.5, -2], [0, 0, 0], null, [1, 2, 3]],
  meta: [{ a: 1, b: 'x' }, { a: null, b: 'y' }, null, { a: 4, b: null }],
  attrs: [{ k: 1 }, {}, null, { k: 2, j: 3 }],
  deep: [[{ xs: [1, 2] }], null, [{ xs: null }, { xs: [] }], []],
  label: ['cat', 'dog', null, 'cat'],
  image: [[0x89, 0x50, 0x4e, 0x47], [], null, [0, 1]],
};
const NESTED_TYPES = [
  'id:Int64',
  'tokens:List<Int64>',
  'words:LargeList<Utf8>',
  'embedding:FixedSizeList[3]<Float32>',
  'meta:Struct<{a:Int32, b:Utf8}>',
  'attrs:Map<{key:Utf8, value:Int64}>',
  'deep:List<Struct<{xs:List<Int16>}>>',
  'label:Dictionary<Int8, LargeUtf8>',
  'image:Binary',
];

describe('nested and dictionary columns in', () => {
  it.each(['nested.arrow', 'nested-lz4.arrows', 'nested.parquet'])(
    'ingests %s with list, large list, fixed-size list, struct, map, nested and dictionary columns intact',
    async (name) => {
      const { table } = await ingest(arrowInput(name));
      expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(NESTED_TYPES);
      expect(table.schema.metadata.get('origin')).toBe('make.py');
      const field = table.schema.fields.find((f) => f.name === 'meta')!;
      expect(field.nullable).toBe(true);
      expect(Object.fromEntries(Object.keys(NESTED).map((n) => [n, rows(table, n)]))).toEqual(NESTED);
    },
  );

  it('reads a pandas categorical written to Parquet by pyarrow back dictionary-encoded', async () => {
    const { table, format } = await ingest(arrowInput('categorical.parquet'));
    expect(format).toBe('parquet');
    expect(`${table.schema.fields[1]!.type}`).toBe('Dictionary<Int8, LargeUtf8>');
    expect(rows(table, 'label')).toEqual(['cat', 'dog', null, 'cat']);
  });
});

/** An uncompressed Arrow stream of `table`, with its first record batch's places to patch. */
const streamOf = (table: Table) => batchPlaces(tableToIPC(table, 'stream'), true);

describe('refused nested and dictionary buffers', () => {
  it('refuses a list whose last offset points past its child array as corrupt', async () => {
    await expect(ingest(listOffsetPastEnd())).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringMatching(/column "xs".*offset 3 \(1000\) points past its 6-item child array/),
    });
  });

  it('refuses a large list whose offsets go backwards as corrupt', async () => {
    const type = new LargeList(new Field('item', new Int32(), true));
    const p = streamOf(new Table({ xs: vectorFromArray([[1, 2], [3], [4]], type) }));
    p.view.setBigInt64(p.buffer(1).at + 2 * 8, 0n, true);
    await expect(ingest(p.bytes)).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('goes backwards'),
    });
  });

  it('refuses a dictionary index past the end of its dictionary before anything reads it', async () => {
    await expect(ingest(dictionaryIndexPastEnd())).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('row 2 has dictionary index 100, past its 2-entry dictionary'),
    });
  });

  it('refuses a fixed-size list whose child values buffer is cut short as corrupt', async () => {
    await expect(ingest(truncatedEmbedding())).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('its child 0: its values buffer is shorter than its rows'),
    });
  });

  it('refuses a struct whose field has fewer rows than the struct as corrupt', async () => {
    const child = vectorFromArray([1, 2, 3], new Int32()).data[0]!;
    const type = new Struct([new Field('a', new Int32(), true)]);
    const s = makeVector(makeData({ type, length: 3, nullCount: 0, children: [child] }));
    const p = streamOf(new Table({ s }));
    // Field nodes: the struct (0), its field a (1).
    p.view.setBigInt64(p.nodeLengthAt(1), 1n, true);
    await expect(ingest(p.bytes)).rejects.toMatchObject({
      code: 'ARROW.CORRUPT',
      message: expect.stringContaining('its child 0 is shorter than its rows'),
    });
  });
});

describe('nested Parquet bounded from its page headers', () => {
  it('refuses list items that repeat one 64 KB dictionary value past the budget, before decoding them', async () => {
    const { Table: WasmTable, writeParquet } = await import('parquet-wasm');
    const big = 'x'.repeat(64 * 1024);
    const type = new List(new Field('item', new Utf8(), true));
    const xs = vectorFromArray(
      Array.from({ length: 800 }, () => [big]),
      type,
    );
    const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table({ xs }), 'stream')));
    expect(bytes.byteLength).toBeLessThan(256 * 1024);
    await expect(ingest(bytes, { maxDecodedBytes: 32 * 2 ** 20 })).rejects.toMatchObject({
      code: 'DATASET.TOO_LARGE_DECODED',
    });
    expect((await ingest(bytes, { maxDecodedBytes: 128 * 2 ** 20 })).table.numRows).toBe(800);
  });

  it('reads the nested Parquet file the same under a budget that holds its bound as without one', async () => {
    const bounded = await ingest(arrowInput('nested.parquet'), { maxDecodedBytes: 2 ** 20 });
    expect(Object.fromEntries(Object.keys(NESTED).map((n) => [n, rows(bounded.table, n)]))).toEqual(NESTED);
  });

  it('refuses 5,000,000 empty lists in a few KB of Parquet before decoding them', async () => {
    const { Table: WasmTable, writeParquet } = await import('parquet-wasm');
    const rows = 5_000_000;
    const item = vectorFromArray([], new Int32()).data[0]!;
    const type = new List(new Field('item', new Int32(), true));
    const offsets = new Int32Array(rows + 1);
    const xs = makeVector(makeData({ type, length: rows, nullCount: 0, valueOffsets: offsets, child: item }));
    const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table({ xs }), 'stream')));
    expect(bytes.byteLength).toBeLessThan(64 * 1024);
    await expect(ingest(bytes, { maxDecodedBytes: 32 * 2 ** 20 })).rejects.toMatchObject({
      code: 'DATASET.TOO_LARGE_DECODED',
      message: expect.stringContaining('nested Parquet'),
    });
  });
});
