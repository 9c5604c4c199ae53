import {
  type Field,
  makeData,
  RecordBatch,
  type Schema,
  Struct,
  Table,
  Type,
  tableFromIPC,
} from 'apache-arrow';
import { flatKind } from '../arrow/flat-column.js';
import { DecodeBudget } from './decode-budget.js';
import { MAX_ROW_GROUPS, tooLargeDecoded, tooManyRowGroups, UNLIMITED_DECODED_BYTES } from './limits.js';
import { readCArray } from './parquet-cdata.js';
import { type ColumnSink, MAX_INT32_DATA, sinkFor } from './parquet-columns.js';
import { type FooterLayout, readFooterLayout } from './parquet-footer.js';
import { BYTE_ARRAY, chunkBound, type PageBound } from './parquet-pages.js';
import { type ColumnBound, columnBound, DecodeWindows } from './parquet-windows.js';

type ParquetWasm = typeof import('parquet-wasm');

/**
 * Rows per decoded record batch. Batches are copied into whole-file columns as they arrive, so
 * this bounds only the decoder's working memory; the reader's default of 1024 costs calls.
 */
export const PARQUET_BATCH_ROWS = 65_536;

/**
 * Rows and uncompressed column bytes one `readParquet` call decodes, past which the next row
 * group goes to a new call. Every call copies the whole file into wasm memory and parses its
 * footer, so one call per small row group costs time in row groups × file size; these bound
 * the decoded data held at once instead. A row group larger than either is its own call.
 */
export const CALL_ROWS = 1_048_576;
export const CALL_BYTES = 256 * 2 ** 20;

/**
 * Consecutive row groups per call: each run grows while it stays within both budgets, and
 * always takes at least one group.
 */
export function groupRuns(
  groupRows: readonly number[],
  groupBytes: readonly number[],
  maxRows = CALL_ROWS,
  maxBytes = CALL_BYTES,
): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  let rows = 0;
  let bytes = 0;
  for (const [g, n] of groupRows.entries()) {
    const size = groupBytes[g] ?? 0;
    if (run.length > 0 && (rows + n > maxRows || bytes + size > maxBytes)) {
      runs.push(run);
      run = [];
      rows = 0;
      bytes = 0;
    }
    run.push(g);
    rows += n;
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * The file's tail from its footer on: "<metadata><length>PAR1". The metadata alone describes
 * the schema and row groups, so reading it needn't copy the column data into wasm memory.
 */
function footerOf(bytes: Uint8Array): Uint8Array | null {
  const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true);
  return length + 12 > bytes.length ? null : bytes.subarray(bytes.length - 8 - length);
}

/** The footer's layout, or null when this reader refuses it (the whole-file reader decides). */
function layoutOf(footer: Uint8Array): FooterLayout | null {
  try {
    return readFooterLayout(footer.subarray(0, footer.length - 8));
  } catch {
    return null;
  }
}

/**
 * A file with a column this path doesn't build (nested or dictionary-encoded): returned
 * undecoded, with its footer layout, for parquet-nested.ts to bound and read.
 */
export interface NotFlat {
  readonly notFlat: Schema;
  readonly layout: FooterLayout;
}

/** Smallest row window's bound, budget permitting: below it, calls cost more than they save. */
export const MIN_WINDOW_BYTES = 32 * 2 ** 20;

/**
 * Bytes one call may decode: an eighth of the freeze's budget, at most CALL_BYTES, and about
 * half the file. Every call holds a copy of the file in wasm memory besides what it decodes, and
 * that memory only grows, so windows near half the file keep its peak near 1.5× the file (on a
 * 173 MB, 1M-row file, one 256 MiB window cost 60 MB more RSS and more CPU than three smaller
 * ones); large files, whose copy per call is what costs, still take one call per row-group run.
 */
function callBytesFor(budget: DecodeBudget, fileBytes: number): number {
  const window = Math.min(CALL_BYTES, Math.max(MIN_WINDOW_BYTES, fileBytes / 2));
  return Math.max(2 ** 20, Math.min(window, budget.limit / 8));
}

/**
 * Bounds every byte-array column from its page headers (see parquet-pages.ts) and refuses the
 * file when what they can decode to doesn't fit the budget: a column whose bound passes what
 * the budget has left is named in the refusal, before anything is decoded.
 */
function boundColumns(
  bytes: Uint8Array,
  layout: FooterLayout,
  fields: readonly Field[],
  decode: DecodeBudget,
): ColumnBound[] {
  const bounds: ColumnBound[] = [];
  let total = 0;
  for (const [c, field] of fields.entries()) {
    if (flatKind(field.type) !== 'binary') continue;
    const what = `Parquet column "${field.name}"`;
    const tooBig = (size: number) => tooLargeDecoded(size, decode.limit, `a page of ${what}`);
    const large = field.type.typeId === Type.LargeUtf8 || field.type.typeId === Type.LargeBinary;
    const column = { pages: [] as PageBound[], dictionaries: [] as number[], offsetWidth: large ? 8 : 4 };
    let first = 0;
    for (const [g, rows] of layout.groupRows.entries()) {
      const place = layout.chunks[g]?.[c];
      if (!place || place.type !== BYTE_ARRAY) throw new Error(`${what} is not a byte-array column`);
      const chunk = chunkBound(bytes, place, first, rows, field.nullable, decode.remaining, tooBig);
      column.pages.push(...chunk.pages);
      column.dictionaries.push(chunk.dictionary);
      first += rows;
    }
    total += columnBound(column, first);
    if (total > decode.remaining) throw tooLargeDecoded(total, decode.limit, what);
    bounds.push(column);
  }
  return bounds;
}

/** Copies one call's decoded batches from wasm memory into the sinks. */
function copyCall(
  wasm: ParquetWasm,
  stream: ReturnType<ReturnType<ParquetWasm['readParquet']>['intoFFI']>,
  columns: readonly ColumnSink[],
  segment: { rows: number; seal(): void },
): void {
  const addrs = stream.arrayAddrs();
  // Taken after the last wasm call (arrayAddrs allocates): growing the memory detaches it.
  const memory = wasm.wasmMemory().buffer;
  for (const addr of addrs) {
    const top = readCArray(memory, addr);
    if (top.children.length !== columns.length) throw new Error('a batch does not match the file schema');
    const parts = top.children.map((child) => readCArray(memory, child));
    if (segment.rows > 0 && !columns.every((sink, i) => sink.fits(memory, parts[i]!))) segment.seal();
    for (const [i, sink] of columns.entries()) sink.append(memory, parts[i]!);
    segment.rows += top.length;
  }
}

/**
 * Decodes a few consecutive row groups at a time (see CALL_ROWS) and copies their batches,
 * straight out of WebAssembly memory, into columns sized for the whole file: wasm memory holds
 * the file and one call's decoded row groups, never the decoded file, and the table comes out
 * with one chunk per column. Returns null when a column's type is not one this path builds, or
 * the footer is one its reader refuses (under a finite budget that throws instead), for the
 * whole-table reader to handle. Errors are the
 * reader's own, raw. `maxSegmentBytes` caps a 32-bit-offset column's data per RecordBatch
 * (lowered only by tests), `budget` the rows and bytes per call.
 *
 * Decoding uses the synchronous reader, which copies the file into wasm memory per call,
 * rather than the async one that fetches just the row group's ranges: on corrupt data the
 * async reader panics inside a promise callback, which surfaces as an uncaught exception and
 * leaves the read pending forever, while a synchronous panic throws to the caller's catch.
 *
 * Every sink takes its buffers from `decode` (the freeze's budget) before allocating them:
 * fixed-width columns from the footer's row counts, byte arrays as they decode. Before any
 * decoding, every byte-array column's page headers bound what it can decode to: a file whose
 * bound passes the budget is refused, and the rest is decoded in row windows whose bound fits
 * an eighth of the budget (see DecodeWindows), so no call's wasm memory can outgrow it. A file with a column type
 * this path doesn't build is returned as `NotFlat`, undecoded, for the caller to bound and read.
 */
export async function readByRowGroup(
  wasm: ParquetWasm,
  bytes: Uint8Array,
  maxSegmentBytes = MAX_INT32_DATA,
  budget: { rows: number; bytes: number } = { rows: CALL_ROWS, bytes: CALL_BYTES },
  decode = new DecodeBudget(UNLIMITED_DECODED_BYTES),
): Promise<Table | NotFlat | null> {
  const footer = footerOf(bytes);
  const layout = footer && layoutOf(footer);
  if (!footer || !layout) {
    // The whole-file reader decodes without bounds, so under a budget a footer this reader
    // can't read is refused rather than handed to it.
    if (Number.isFinite(decode.limit))
      throw new Error('the footer is not one ingest can read to bound decoding');
    return null;
  }
  if (layout.groupRows.length > MAX_ROW_GROUPS) throw tooManyRowGroups(layout.groupRows.length);
  const schema = tableFromIPC(wasm.readSchema(footer).intoIPCStream()).schema;
  const { groupRows, columnBytes: hints, groupBytes } = layout;
  const rows = groupRows.reduce((sum, n) => sum + n, 0);
  if (rows === 0) return null;
  if (schema.fields.some((field) => flatKind(field.type) === undefined)) return { notFlat: schema, layout };
  // Flat columns have one leaf each; a footer that says otherwise is not this schema's.
  if (hints.length !== schema.fields.length) throw new Error('the footer columns do not match the schema');
  const bounds = boundColumns(bytes, layout, schema.fields, decode);
  const columns = schema.fields.map(
    (field, i) =>
      sinkFor(field.type, rows, hints[i] ?? 0, decode, `Parquet column "${field.name}"`, maxSegmentBytes)!,
  );
  const groupStarts: number[] = [];
  for (const g of groupRows.keys()) groupStarts.push(g === 0 ? 0 : groupStarts[g - 1]! + groupRows[g - 1]!);
  const windows = new DecodeWindows(callBytesFor(decode, bytes.length), bounds, groupStarts);
  const batches: RecordBatch[] = [];
  let done = 0;
  const segment = {
    rows: 0,
    seal(): void {
      const children = columns.map((sink) => sink.seal());
      const data = makeData({ type: new Struct(schema.fields), length: this.rows, nullCount: 0, children });
      batches.push(new RecordBatch(schema, data));
      done += this.rows;
      this.rows = 0;
      for (const sink of columns) sink.restart(rows - done);
    },
  };
  for (const rowGroups of groupRuns(groupRows, groupBytes, budget.rows, budget.bytes)) {
    const runRows = rowGroups.reduce((sum, g) => sum + groupRows[g]!, 0);
    for (let offset = 0; offset < runRows; ) {
      const limit = windows.next(groupStarts[rowGroups[0]!]! + offset, runRows - offset);
      const window = limit === runRows ? {} : { offset, limit };
      const stream = wasm
        .readParquet(bytes, { rowGroups, batchSize: PARQUET_BATCH_ROWS, ...window })
        .intoFFI();
      try {
        copyCall(wasm, stream, columns, segment);
      } finally {
        stream.free();
      }
      offset += limit;
    }
  }
  if (segment.rows > 0 || batches.length === 0) segment.seal();
  return new Table(schema, batches);
}
