import { longestDictionaryValue } from './parquet-dictionary.js';
import { type ChunkPlace, CompactReader } from './parquet-footer.js';

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

// Thrift compact type ids, PageType and Encoding values (parquet.thrift).
const I32 = 5;
const STRUCT = 12;
const DATA_PAGE = 0;
const DICTIONARY_PAGE = 2;
const DATA_PAGE_V2 = 3;
const PLAIN = 0;
const PLAIN_DICTIONARY = 2;
const DELTA_LENGTH_BYTE_ARRAY = 6;
const DELTA_BYTE_ARRAY = 7;
const RLE_DICTIONARY = 8;
export const BYTE_ARRAY = 6;

interface PageHeader {
  type: number;
  uncompressed: number;
  compressed: number;
  /** Values (v1, dictionary) or rows (v2) the page holds. */
  rows: number;
  encoding: number;
}

/** PageHeader: type (1), sizes (2, 3), then the header of its kind (5, 7 or 8). */
function readPageHeader(bytes: Uint8Array): [PageHeader, number] {
  const r = new CompactReader(bytes);
  const h: PageHeader = { type: -1, uncompressed: -1, compressed: -1, rows: -1, encoding: -1 };
  r.struct((id, type) => {
    if (type === I32 && id >= 1 && id <= 3) {
      const value = r.int();
      if (id === 1) h.type = value;
      else if (id === 2) h.uncompressed = value;
      else h.compressed = value;
      return true;
    }
    if (type !== STRUCT || ![5, 7, 8].includes(id)) return false;
    // DataPageHeader and DictionaryPageHeader: num_values (1), encoding (2); DataPageHeaderV2:
    // num_rows (3), encoding (4).
    const [rowsField, encodingField] = id === 8 ? [3, 4] : [1, 2];
    r.struct((field, fieldType) => {
      if (fieldType !== I32 || (field !== rowsField && field !== encodingField)) return false;
      if (field === rowsField) h.rows = r.int();
      else h.encoding = r.int();
      return true;
    });
    return true;
  });
  if (h.uncompressed < 0 || h.compressed < 0) throw new Error('a page header has no page sizes');
  return [h, r.position];
}

/** The bound on one data page's rows, from its encoding and the chunk's longest dictionary value. */
function dataPageBound(h: PageHeader, first: number, longest: number | null): PageBound {
  if (h.rows < 0) throw new Error('a data page header has no value count');
  switch (h.encoding) {
    case PLAIN:
    case DELTA_LENGTH_BYTE_ARRAY:
      // The values are stored verbatim, after their lengths.
      return { first, rows: h.rows, perRow: Number.POSITIVE_INFINITY, cap: h.uncompressed };
    case PLAIN_DICTIONARY:
    case RLE_DICTIONARY:
      if (longest === null) throw new Error('a dictionary-encoded page has no dictionary page before it');
      return { first, rows: h.rows, perRow: longest, cap: h.rows * longest };
    case DELTA_BYTE_ARRAY:
      // Each value is a prefix of the one before plus stored suffix bytes, so none is longer
      // than all the page's bytes.
      return { first, rows: h.rows, perRow: h.uncompressed, cap: h.rows * h.uncompressed };
    default:
      throw new Error(`a byte-array page has encoding ${h.encoding}, which byte arrays don't use`);
  }
}

/**
 * Reads every page header of a BYTE_ARRAY column chunk of `rows` rows, starting at `first`
 * (a row number in the file), from the file bytes, and bounds what each page decodes to. The
 * dictionary page is decompressed to find its longest value; `maxPage` refuses (returns the
 * size through `tooBig`) a page that claims more uncompressed bytes than the budget has left,
 * before anything is allocated for it. Headers that don't parse or don't add up throw.
 */
export function chunkBound(
  file: Uint8Array,
  place: ChunkPlace,
  first: number,
  rows: number,
  maxPage: number,
  tooBig: (bytes: number) => Error,
): ChunkBound {
  const dict = place.dictionaryPageOffset;
  const start = dict > 0 ? Math.min(dict, place.dataPageOffset) : place.dataPageOffset;
  const end = start + place.compressedSize;
  if (start < 4 || place.compressedSize <= 0 || end > file.length - 8) {
    throw new Error('a column chunk lies outside the file');
  }
  const pages: PageBound[] = [];
  let longest: number | null = null;
  let dictionary = 0;
  let row = 0;
  for (let at = start; at < end; ) {
    const [h, length] = readPageHeader(file.subarray(at, end));
    const body = at + length;
    at = body + h.compressed;
    if (at > end) throw new Error('a page runs past the end of its column chunk');
    if (h.uncompressed > maxPage) throw tooBig(h.uncompressed);
    if (h.type === DICTIONARY_PAGE) {
      if (h.rows < 0) throw new Error('a dictionary page header has no value count');
      longest = longestDictionaryValue(file.subarray(body, at), place.codec, h.uncompressed, h.rows);
      dictionary = h.uncompressed + 8 * h.rows;
    } else if (h.type === DATA_PAGE || h.type === DATA_PAGE_V2) {
      const page = dataPageBound(h, first + row, longest);
      pages.push(page);
      row += page.rows;
    }
  }
  if (row !== rows) throw new Error(`a column chunk's pages hold ${row} values for ${rows} rows`);
  return { pages, dictionary };
}
