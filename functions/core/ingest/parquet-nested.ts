import { type DataType, type RecordBatch, type Schema, Table, tableFromIPC } from 'apache-arrow';
import { normalizeViews } from './arrow-views.js';
import type { DecodeBudget } from './decode-budget.js';
import { tooLargeDecoded } from './limits.js';
import { readDictionary } from './parquet-dictionary.js';
import type { ChunkPlace, FooterLayout } from './parquet-footer.js';
import { zeroParquetNullSlots } from './parquet-null-slots.js';
import {
  BYTE_ARRAY,
  chunkPages,
  DATA_PAGE,
  DATA_PAGE_V2,
  DELTA_BYTE_ARRAY,
  DICTIONARY_PAGE,
  type PageHeader,
  PLAIN_DICTIONARY,
  RLE_DICTIONARY,
} from './parquet-pages.js';

type ParquetWasm = typeof import('parquet-wasm');

/**
 * What one level of nesting can add per leaf value once decoded: a 64-bit offset (large
 * lists) and a validity byte, rounded up. Parquet stores a leaf's repetition and definition
 * levels run-length encoded, so a few page bytes can claim a billion empty lists or nulls;
 * every value a page header counts is charged this much per level before decoding.
 */
const LEVEL_BYTES = 16;
/** A decoded fixed-width value is at most this wide (INT96 is 12; wider FIXED_LEN_BYTE_ARRAY is stored verbatim). */
const MAX_FIXED = 16;

/** How deep a type nests: 1 for a flat column, one more per list, struct or map level. */
export function nestingDepth(type: DataType): number {
  const children: { type: DataType }[] = type.children ?? [];
  const dictionary = (type as { dictionary?: DataType }).dictionary;
  const inner = [...children.map((c) => c.type), ...(dictionary ? [dictionary] : [])];
  return 1 + inner.reduce((deepest, t) => Math.max(deepest, nestingDepth(t)), 0);
}

/** Most bytes one data page's values can decode to, before the per-level cost. */
function pageValueBound(h: PageHeader, values: number, longest: number, byteArray: boolean): number {
  const offsets = byteArray ? values * 8 : 0;
  if (h.encoding === PLAIN_DICTIONARY || h.encoding === RLE_DICTIONARY) {
    if (longest < 0) throw new Error('a dictionary-encoded page has no dictionary page before it');
    return values * longest + offsets;
  }
  // Each value is a prefix of the one before plus stored bytes: none is longer than the page.
  if (h.encoding === DELTA_BYTE_ARRAY) return values * h.uncompressed + offsets;
  // PLAIN, DELTA_LENGTH_BYTE_ARRAY and BYTE_STREAM_SPLIT store values verbatim; bit-packed
  // and delta-packed integers widen to at most MAX_FIXED bytes each.
  return Math.max(h.uncompressed, values * MAX_FIXED) + offsets;
}

/**
 * The most one leaf column chunk of a nested or dictionary-encoded column can decode to, read
 * from its page headers alone: every value a page counts (levels included) costs `levelBytes`,
 * plus what its encoding can expand to; a dictionary page costs its size once per record batch
 * the reader cuts the row group into (each batch carries the dictionary). A page that claims
 * more uncompressed bytes than the budget has left is refused before it is decompressed.
 */
function leafChunkBound(
  file: Uint8Array,
  place: ChunkPlace,
  levelBytes: number,
  batches: number,
  maxPage: number,
  tooBig: (bytes: number) => Error,
): number {
  const byteArray = place.type === BYTE_ARRAY;
  let longest = -1;
  let bound = 0;
  for (const { header: h, stored } of chunkPages(file, place, maxPage, tooBig)) {
    if (h.type === DICTIONARY_PAGE) {
      if (h.rows < 0) throw new Error('a dictionary page header has no value count');
      // An all-null or all-empty chunk still writes an (empty) dictionary page.
      if (h.rows === 0) longest = 0;
      else if (byteArray) {
        longest = readDictionary(stored, place.codec, h.uncompressed, h.rows).longest;
      } else longest = Math.ceil(h.uncompressed / h.rows);
      bound += (h.uncompressed + 8 * h.rows) * batches;
    } else if (h.type === DATA_PAGE || h.type === DATA_PAGE_V2) {
      if (h.values < 0) throw new Error('a data page header has no value count');
      bound += pageValueBound(h, h.values, longest, byteArray) + h.values * levelBytes;
    }
  }
  return bound;
}

/** The bound on every leaf chunk of the file (see leafChunkBound), refused past the budget. */
function fileBound(
  bytes: Uint8Array,
  layout: FooterLayout,
  schema: Schema,
  decode: DecodeBudget,
  batchRows: number,
): number {
  const depth = schema.fields.reduce((deepest, f) => Math.max(deepest, nestingDepth(f.type)), 1);
  const tooBig = (size: number) => tooLargeDecoded(size, decode.limit, 'a page of a nested Parquet column');
  let total = 0;
  for (const [g, places] of layout.chunks.entries()) {
    const batches = Math.max(1, Math.ceil(layout.groupRows[g]! / batchRows));
    for (const place of places) {
      total += leafChunkBound(bytes, place, depth * LEVEL_BYTES, batches, decode.remaining, tooBig);
      if (total > decode.remaining) throw tooLargeDecoded(total, decode.limit, 'the nested Parquet columns');
    }
  }
  return total;
}

/**
 * Reads a Parquet file with nested (list, large list, fixed-size list, struct, map) or
 * dictionary columns as parquet-wasm builds them. Before anything is decoded, every page
 * header of every leaf column bounds what it can decode to (fileBound), and that bound is
 * taken from the budget; then the file is decoded one run of row groups per call (`runs`), so
 * wasm memory holds one run's decoded data at a time. View columns, should the reader return
 * any, become LargeUtf8 and LargeBinary as for Arrow IPC. Null slots then hold what
 * SPLIT-SPEC §3.2 says for Parquet (zeroParquetNullSlots), as on the flat row-group path.
 */
export function readNestedParquet(
  wasm: ParquetWasm,
  bytes: Uint8Array,
  layout: FooterLayout,
  schema: Schema,
  runs: readonly number[][],
  decode: DecodeBudget,
  batchRows: number,
): Table {
  decode.take(fileBound(bytes, layout, schema, decode, batchRows), 'the nested Parquet columns');
  const batches: RecordBatch[] = [];
  let read: Schema | undefined;
  for (const rowGroups of runs) {
    const table = tableFromIPC(wasm.readParquet(bytes, { rowGroups, batchSize: batchRows }).intoIPCStream());
    read ??= table.schema;
    batches.push(...table.batches);
  }
  return zeroParquetNullSlots(normalizeViews(new Table(read ?? schema, batches), decode));
}
