import { makeData, RecordBatch, Struct, Table, tableFromIPC } from 'apache-arrow';
import { readCArray } from './parquet-cdata.js';
import { type ColumnSink, MAX_INT32_DATA, sinkFor } from './parquet-columns.js';
import { readFooterLayout } from './parquet-footer.js';

type ParquetWasm = typeof import('parquet-wasm');

/**
 * Rows per decoded record batch. Batches are copied into whole-file columns as they arrive, so
 * this bounds only the decoder's working memory; the reader's default of 1024 costs calls.
 */
export const PARQUET_BATCH_ROWS = 65_536;

/**
 * The file's tail from its footer on: "<metadata><length>PAR1". The metadata alone describes
 * the schema and row groups, so reading it needn't copy the column data into wasm memory.
 */
function footerOf(bytes: Uint8Array): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true);
  if (length + 12 > bytes.length)
    throw new Error(`the footer claims ${length} bytes, more than the file holds`);
  return bytes.subarray(bytes.length - 8 - length);
}

/**
 * Decodes one row group at a time and copies its batches, straight out of WebAssembly memory,
 * into columns sized for the whole file: wasm memory holds the file and one decoded row group,
 * never the decoded file, and the table comes out with one chunk per column. Returns null when a
 * column's type is not one this path builds, for the whole-table reader to handle. Errors are
 * the reader's own, raw. `maxSegmentBytes` caps a 32-bit-offset column's data per RecordBatch
 * (lowered only by tests).
 *
 * Decoding uses the synchronous reader, which copies the file into wasm memory per row group,
 * rather than the async one that fetches just the row group's ranges: on corrupt data the
 * async reader panics inside a promise callback, which surfaces as an uncaught exception and
 * leaves the read pending forever, while a synchronous panic throws to the caller's catch.
 */
export async function readByRowGroup(
  wasm: ParquetWasm,
  bytes: Uint8Array,
  maxSegmentBytes = MAX_INT32_DATA,
): Promise<Table | null> {
  const footer = footerOf(bytes);
  const schema = tableFromIPC(wasm.readSchema(footer).intoIPCStream()).schema;
  const { groupRows, columnBytes: hints } = readFooterLayout(footer.subarray(0, footer.length - 8));
  const rows = groupRows.reduce((sum, n) => sum + n, 0);
  if (rows === 0 || hints.length !== schema.fields.length) return null;
  const sinks = schema.fields.map((field, i) => sinkFor(field.type, rows, hints[i] ?? 0, maxSegmentBytes));
  if (sinks.some((s) => s === null)) return null;
  const columns = sinks as ColumnSink[];
  const batches: RecordBatch[] = [];
  let segmentRows = 0;
  let done = 0;
  const seal = (): void => {
    const children = columns.map((sink) => sink.seal());
    const data = makeData({ type: new Struct(schema.fields), length: segmentRows, nullCount: 0, children });
    batches.push(new RecordBatch(schema, data));
    done += segmentRows;
    segmentRows = 0;
    for (const sink of columns) sink.restart(rows - done);
  };
  for (let g = 0; g < groupRows.length; g++) {
    const stream = wasm.readParquet(bytes, { rowGroups: [g], batchSize: PARQUET_BATCH_ROWS }).intoFFI();
    try {
      const addrs = stream.arrayAddrs();
      // Taken after the last wasm call (arrayAddrs allocates): growing the memory detaches it.
      const memory = wasm.wasmMemory().buffer;
      for (const addr of addrs) {
        const top = readCArray(memory, addr);
        if (top.children.length !== columns.length) throw new Error('a batch does not match the file schema');
        const parts = top.children.map((child) => readCArray(memory, child));
        if (segmentRows > 0 && !columns.every((sink, i) => sink.fits(memory, parts[i]!))) seal();
        for (const [i, sink] of columns.entries()) sink.append(memory, parts[i]!);
        segmentRows += top.length;
      }
    } finally {
      stream.free();
    }
  }
  if (segmentRows > 0 || batches.length === 0) seal();
  return new Table(schema, batches);
}
