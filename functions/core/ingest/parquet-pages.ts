import { type DictionaryLengths, decompressPage, readDictionary } from './parquet-dictionary.js';
import { type ChunkPlace, CompactReader, FALSE, I32, STRUCT, TRUE } from './parquet-footer.js';
import { deltaSum, indexedBytes, presentRows } from './parquet-indices.js';

/**
 * A run of a byte-array column's rows, one data page, and what they can decode to at most:
 * `overlap` of its rows decode to no more than min(cap, overlap × perRow) value bytes.
 */
export interface PageBound {
  /** The page's first row, counted from the start of the file. */
  readonly first: number;
  readonly rows: number;
  readonly perRow: number;
  readonly cap: number;
}

/** A byte-array column chunk: its pages' bounds and its decoded dictionary's size. */
export interface ChunkBound {
  readonly pages: readonly PageBound[];
  /** Bytes the reader holds for the chunk's dictionary (values and offsets), 0 without one. */
  readonly dictionary: number;
}

// PageType and Encoding values (parquet.thrift).
export const DATA_PAGE = 0;
export const DICTIONARY_PAGE = 2;
export const DATA_PAGE_V2 = 3;
const PLAIN = 0;
export const PLAIN_DICTIONARY = 2;
const DELTA_LENGTH_BYTE_ARRAY = 6;
export const DELTA_BYTE_ARRAY = 7;
export const RLE_DICTIONARY = 8;
export const BYTE_ARRAY = 6;

export interface PageHeader {
  type: number;
  uncompressed: number;
  compressed: number;
  /** Rows the page holds (num_values of v1 and dictionary pages, num_rows of v2). */
  rows: number;
  encoding: number;
  /** Values with nulls (v1: rows), and of them nulls (v2 only, else -1). */
  values: number;
  nulls: number;
  /** v1: the definition levels' encoding; v2: their byte length, and the repetition levels'. */
  levelEncoding: number;
  levelBytes: number;
  repetitionBytes: number;
  /** v2: whether the values after the levels are compressed. */
  compressedValues: boolean;
}

const RLE = 3;
/** Dictionary pages whose rows × longest value pass this get their indices read. */
const REFINE_ABOVE = 2 ** 20;

/** PageHeader: type (1), sizes (2, 3), then the header of its kind (5, 7 or 8). */
export function readPageHeader(bytes: Uint8Array): [PageHeader, number] {
  const r = new CompactReader(bytes);
  const h: PageHeader = {
    type: -1,
    uncompressed: -1,
    compressed: -1,
    rows: -1,
    encoding: -1,
    values: -1,
    nulls: -1,
    levelEncoding: -1,
    levelBytes: -1,
    repetitionBytes: -1,
    compressedValues: true,
  };
  r.struct((id, type) => {
    if (type === I32 && id >= 1 && id <= 3) {
      const value = r.int();
      if (id === 1) h.type = value;
      else if (id === 2) h.uncompressed = value;
      else h.compressed = value;
      return true;
    }
    if (type !== STRUCT || ![5, 7, 8].includes(id)) return false;
    // DataPageHeader and DictionaryPageHeader: num_values (1), encoding (2), v1's
    // definition_level_encoding (3). DataPageHeaderV2: num_values (1), num_nulls (2),
    // num_rows (3), encoding (4), definition/repetition_levels_byte_length (5, 6),
    // is_compressed (7).
    const v2 = id === 8;
    r.struct((field, fieldType) => {
      if (v2 && field === 7 && (fieldType === TRUE || fieldType === FALSE)) {
        h.compressedValues = fieldType === TRUE;
        return true;
      }
      if (fieldType !== I32) return false;
      const value = r.int();
      if (field === 1) h.values = value;
      if (!v2) {
        if (field === 1) h.rows = value;
        else if (field === 2) h.encoding = value;
        else if (field === 3) h.levelEncoding = value;
      } else if (field === 2) h.nulls = value;
      else if (field === 3) h.rows = value;
      else if (field === 4) h.encoding = value;
      else if (field === 5) h.levelBytes = value;
      else if (field === 6) h.repetitionBytes = value;
      return true;
    });
    return true;
  });
  if (h.uncompressed < 0 || h.compressed < 0) throw new Error('a page header has no page sizes');
  return [h, r.position];
}

/**
 * A data page's encoded values, decompressed, from where they start past the levels, with how
 * many non-null values they hold; null when this can't tell (a codec or level layout it doesn't
 * read). Flat columns only: no repetition levels, definition levels only when `optional`.
 */
function pageValues(
  body: Uint8Array,
  h: PageHeader,
  codec: number,
  optional: boolean,
): { data: Uint8Array; at: number; count: number } | null {
  if (h.type === DATA_PAGE_V2) {
    const levels = h.levelBytes + h.repetitionBytes;
    if (h.repetitionBytes !== 0 || h.nulls < 0 || levels > body.length) return null;
    const stored = body.subarray(levels);
    const data = h.compressedValues ? decompressPage(stored, codec, h.uncompressed - levels) : stored;
    return data && { data, at: 0, count: h.values - h.nulls };
  }
  const data = decompressPage(body, codec, h.uncompressed);
  if (!data) return null;
  if (!optional) return { data, at: 0, count: h.values };
  if (h.levelEncoding !== RLE || data.length < 4) return null;
  const levelBytes = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  const count = presentRows(data, 4, levelBytes, h.values);
  return count === null ? null : { data, at: 4 + levelBytes, count };
}

/**
 * The exact value bytes a dictionary-encoded page's rows refer to, read from its indices, or,
 * for DELTA_BYTE_ARRAY, its prefix lengths plus all its bytes; null when this can't tell (or
 * the page doesn't add up, which the Rust reader will refuse): the caller keeps the rougher
 * bound then.
 */
function exactPageBytes(
  body: Uint8Array,
  h: PageHeader,
  codec: number,
  lengths: Int32Array | null,
  optional: boolean,
): number | null {
  try {
    const values = pageValues(body, h, codec, optional);
    if (!values) return null;
    const { data, at, count } = values;
    if (h.encoding === DELTA_BYTE_ARRAY) {
      const prefixes = deltaSum(data, at, count);
      // Each value is its prefix (bytes of the value before) plus its stored suffix.
      return prefixes && prefixes.sum + (data.length - prefixes.end);
    }
    return lengths && indexedBytes(data, at, count, lengths);
  } catch {
    return null;
  }
}

/** The bound on one data page's rows, from its encoding and the chunk's dictionary. */
function dataPageBound(
  h: PageHeader,
  first: number,
  dictionary: DictionaryLengths | null,
  refine: () => number | null,
): PageBound {
  if (h.rows < 0) throw new Error('a data page header has no value count');
  switch (h.encoding) {
    case PLAIN:
    case DELTA_LENGTH_BYTE_ARRAY:
      // The values are stored verbatim, after their lengths.
      return { first, rows: h.rows, perRow: Number.POSITIVE_INFINITY, cap: h.uncompressed };
    case PLAIN_DICTIONARY:
    case RLE_DICTIONARY: {
      if (dictionary === null) throw new Error('a dictionary-encoded page has no dictionary page before it');
      const perRow = dictionary.longest;
      const cap = h.rows * perRow;
      const exact = cap > REFINE_ABOVE ? refine() : null;
      return { first, rows: h.rows, perRow, cap: exact === null ? cap : Math.min(cap, exact) };
    }
    case DELTA_BYTE_ARRAY: {
      // Each value is a prefix of the one before plus stored suffix bytes, so none is longer
      // than all the page's bytes; the prefix lengths give the page's total.
      const cap = h.rows * h.uncompressed;
      const exact = cap > REFINE_ABOVE ? refine() : null;
      return {
        first,
        rows: h.rows,
        perRow: h.uncompressed,
        cap: exact === null ? cap : Math.min(cap, exact),
      };
    }
    default:
      throw new Error(`a byte-array page has encoding ${h.encoding}, which byte arrays don't use`);
  }
}

/**
 * Each page of a column chunk, in file order: its header and its stored (compressed) bytes.
 * The chunk runs from its dictionary page (when it has one) or first data page, for its
 * compressed size; a chunk outside the file's data, a page past the chunk's end, or a page
 * that claims more than `maxPage` uncompressed bytes (refused through `tooBig`, before
 * anything is decompressed) throws.
 */
export function* chunkPages(
  file: Uint8Array,
  place: ChunkPlace,
  maxPage: number,
  tooBig: (bytes: number) => Error,
): Generator<{ header: PageHeader; stored: Uint8Array }> {
  const dict = place.dictionaryPageOffset;
  const start = dict > 0 ? Math.min(dict, place.dataPageOffset) : place.dataPageOffset;
  const end = start + place.compressedSize;
  if (start < 4 || place.compressedSize <= 0 || end > file.length - 8) {
    throw new Error('a column chunk lies outside the file');
  }
  for (let at = start; at < end; ) {
    const [header, length] = readPageHeader(file.subarray(at, end));
    const body = at + length;
    at = body + header.compressed;
    if (at > end) throw new Error('a page runs past the end of its column chunk');
    if (header.uncompressed > maxPage) throw tooBig(header.uncompressed);
    yield { header, stored: file.subarray(body, at) };
  }
}

/**
 * Reads every page header of a BYTE_ARRAY column chunk of `rows` rows, starting at `first`
 * (a row number in the file), from the file bytes, and bounds what each page decodes to. The
 * dictionary page is decompressed to find its longest value, and a dictionary-encoded page
 * whose rows × that value is large has its indices read for the exact sum (`optional` says
 * whether its definition levels come first); `maxPage` refuses (returns the
 * size through `tooBig`) a page that claims more uncompressed bytes than the budget has left,
 * before anything is allocated for it. Headers that don't parse or don't add up throw.
 */
export function chunkBound(
  file: Uint8Array,
  place: ChunkPlace,
  first: number,
  rows: number,
  optional: boolean,
  maxPage: number,
  tooBig: (bytes: number) => Error,
): ChunkBound {
  const pages: PageBound[] = [];
  let dictionaryLengths: DictionaryLengths | null = null;
  let dictionary = 0;
  let row = 0;
  for (const { header: h, stored } of chunkPages(file, place, maxPage, tooBig)) {
    if (h.type === DICTIONARY_PAGE) {
      if (h.rows < 0) throw new Error('a dictionary page header has no value count');
      dictionaryLengths = readDictionary(stored, place.codec, h.uncompressed, h.rows);
      dictionary = h.uncompressed + 8 * h.rows;
    } else if (h.type === DATA_PAGE || h.type === DATA_PAGE_V2) {
      const lengths = dictionaryLengths?.lengths;
      const page = dataPageBound(h, first + row, dictionaryLengths, () =>
        exactPageBytes(stored, h, place.codec, lengths ?? null, optional),
      );
      pages.push(page);
      row += page.rows;
    }
  }
  if (row !== rows) throw new Error(`a column chunk's pages hold ${row} values for ${rows} rows`);
  return { pages, dictionary };
}
