import { Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DecodeBudget } from '../../../functions/core/ingest/decode-budget.js';
import { ingestParquet } from '../../../functions/core/ingest/parquet.js';
import { parquetDictionaryRuns } from '../../fixtures/parquet-thrift.js';

const MiB = 2 ** 20;

describe('byte-array Parquet columns bounded from their page headers', () => {
  it('reads the hand-built dictionary file as the values its runs repeat', async () => {
    const bytes = parquetDictionaryRuns([
      { rows: 3, length: 2 },
      { rows: 2, length: 5 },
    ]);
    const table = await ingestParquet(bytes, new DecodeBudget(MiB));
    expect(table.getChild('text')?.toArray()).toEqual(['aa', 'aa', 'aa', 'bbbbb', 'bbbbb']);
  });

  it('refuses 4,096 rows of one 2 MB dictionary value under a 256 MiB budget before decoding', async () => {
    const bytes = parquetDictionaryRuns([{ rows: 4096, length: 2 * MiB }]);
    expect(bytes.byteLength).toBeLessThan(8192);
    await expect(ingestParquet(bytes, new DecodeBudget(256 * MiB))).rejects.toMatchObject({
      code: 'DATASET.TOO_LARGE_DECODED',
      message: expect.stringContaining(`${256 * MiB}-byte budget`),
      details: { limit: 256 * MiB },
    });
  });

  it('refuses 300,000 narrow rows then 5,000 rows of a 1 MB value under a 256 MiB budget', async () => {
    const bytes = parquetDictionaryRuns([
      { rows: 300_000, length: 1 },
      { rows: 5000, length: MiB },
    ]);
    expect(bytes.byteLength).toBeLessThan(8192);
    await expect(ingestParquet(bytes, new DecodeBudget(256 * MiB))).rejects.toMatchObject({
      code: 'DATASET.TOO_LARGE_DECODED',
      details: { limit: 256 * MiB },
    });
  });

  it('refuses a page whose header claims more uncompressed bytes than the budget has left, naming the column', async () => {
    const bytes = parquetDictionaryRuns([{ rows: 1, length: 2 * MiB }]);
    await expect(ingestParquet(bytes, new DecodeBudget(MiB))).rejects.toMatchObject({
      code: 'DATASET.TOO_LARGE_DECODED',
      message: expect.stringContaining('a page of Parquet column "text"'),
      details: { limit: MiB },
    });
  });

  it('refuses under a budget a file whose footer ingest cannot read, instead of decoding it unbounded', async () => {
    const bytes = parquetDictionaryRuns([{ rows: 10, length: 3 }]);
    // A footer length past the start of the file.
    new DataView(bytes.buffer).setUint32(bytes.length - 8, bytes.length, true);
    await expect(ingestParquet(bytes, new DecodeBudget(MiB))).rejects.toMatchObject({
      code: 'PARQUET.CORRUPT',
      message: expect.stringContaining('not one ingest can read to bound decoding'),
    });
  });

  it('refuses as corrupt, before decoding, a column chunk whose pages run past its declared size', async () => {
    const bytes = parquetDictionaryRuns([{ rows: 10, length: 3 }], -1);
    await expect(ingestParquet(bytes, new DecodeBudget(MiB))).rejects.toMatchObject({
      code: 'PARQUET.CORRUPT',
      message: expect.stringContaining('runs past the end of its column chunk'),
    });
  });

  it('splits a dictionary column whose rows fit the budget in windows, as without a budget', async () => {
    const runs = [
      { rows: 200_000, length: 1 },
      { rows: 2000, length: 4096 },
    ];
    const bytes = parquetDictionaryRuns(runs);
    const bounded = await ingestParquet(bytes, new DecodeBudget(1024 * MiB));
    const unbounded = await ingestParquet(bytes);
    expect(bounded.numRows).toBe(202_000);
    expect(bounded.getChild('text')?.get(201_999)).toBe('b'.repeat(4096));
    expect(bounded.getChild('text')?.toArray()).toEqual(unbounded.getChild('text')?.toArray());
  });

  it('splits dictionary rows whose rows × longest value pass the budget when their indices fit it', async () => {
    const bytes = parquetDictionaryRuns([
      { rows: 200_000, length: 1 },
      { rows: 2000, length: 4096 },
    ]);
    // rows × longest value is 827 MB; the values the indices refer to are 8.4 MB.
    const table = await ingestParquet(bytes, new DecodeBudget(32 * MiB));
    expect(table.numRows).toBe(202_000);
  });

  for (const [codec, version] of [
    ['SNAPPY', 'V1'],
    ['ZSTD', 'V1'],
    ['GZIP', 'V2'],
    ['SNAPPY', 'V2'],
    ['UNCOMPRESSED', 'V1'],
  ] as const) {
    it(`reads a nullable dictionary text column written ${codec}, pages ${version}, within a budget near its size`, async () => {
      const {
        Compression,
        Table: WasmTable,
        WriterPropertiesBuilder,
        WriterVersion,
        writeParquet,
      } = await import('parquet-wasm');
      const long = 'z'.repeat(20_000);
      const values = Array.from({ length: 300_000 }, (_, i) =>
        i % 7 === 0 ? null : i % 50_000 === 1 ? long : `v${i % 300}`,
      );
      const table = new Table({ text: vectorFromArray(values, new Utf8()) });
      const props = new WriterPropertiesBuilder()
        .setCompression(Compression[codec])
        .setWriterVersion(WriterVersion[version])
        .setDictionaryEnabled(true)
        .build();
      const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), props);
      // 300,000 rows × the 20,000-byte value would be 6 GB; the rows hold about 1.5 MB.
      const read = await ingestParquet(bytes, new DecodeBudget(16 * MiB));
      expect(read.getChild('text')?.toArray()).toEqual(values);
    });
  }

  for (const [encoding, version] of [
    ['DELTA_BYTE_ARRAY', 'V1'],
    ['DELTA_BYTE_ARRAY', 'V2'],
    ['DELTA_LENGTH_BYTE_ARRAY', 'V1'],
  ] as const) {
    it(`reads a nullable text column written ${encoding}, pages ${version}, within a budget near its size`, async () => {
      const {
        Compression,
        Encoding,
        Table: WasmTable,
        WriterPropertiesBuilder,
        WriterVersion,
        writeParquet,
      } = await import('parquet-wasm');
      const long = 'z'.repeat(20_000);
      const values = Array.from({ length: 300_000 }, (_, i) =>
        i % 7 === 0 ? null : i % 50_000 === 1 ? long : `shared-prefix-${i}`,
      );
      const table = new Table({ text: vectorFromArray(values, new Utf8()) });
      const props = new WriterPropertiesBuilder()
        .setCompression(Compression.SNAPPY)
        .setWriterVersion(WriterVersion[version])
        .setDictionaryEnabled(false)
        .setEncoding(Encoding[encoding])
        .build();
      const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), props);
      // Rows × page size would be hundreds of gigabytes; the rows hold about 6 MB.
      const read = await ingestParquet(bytes, new DecodeBudget(32 * MiB));
      expect(read.getChild('text')?.toArray()).toEqual(values);
    });
  }
});
