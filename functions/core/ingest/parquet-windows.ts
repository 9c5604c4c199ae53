import type { PageBound } from './parquet-pages.js';

/**
 * How many rows each `readParquet` call decodes. Parquet metadata tells the decoded size of
 * fixed-width columns exactly, but not of byte arrays: a dictionary page holds a value once
 * and any number of rows may repeat it, so a kilobyte file can decode to gigabytes, all of it
 * inside one call's WebAssembly memory, which never shrinks. So every byte-array column's page
 * headers are read first (see parquet-pages.ts), each page bounding what its rows decode to,
 * and each call takes as many rows as keep the bound of what it decodes within `callBytes`.
 */
export interface ColumnBound {
  /** The column's data pages in row order, across row groups. */
  readonly pages: readonly PageBound[];
  /** Per row group, the bytes its dictionary decodes to. */
  readonly dictionaries: readonly number[];
  /** Bytes per row of the column's offsets. */
  readonly offsetWidth: number;
}

/** The index of the first of `starts` (ascending) whose span, up to the next, ends past `row`. */
function firstPast(count: number, start: (i: number) => number, row: number): number {
  let lo = 0;
  let hi = count;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (start(mid) <= row) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The most `pages` can decode to over rows [from, to). */
function valueBound(pages: readonly PageBound[], from: number, to: number): number {
  let bytes = 0;
  for (let i = firstPast(pages.length, (p) => pages[p]!.first, from); i < pages.length; i++) {
    const page = pages[i]!;
    const end = page.first + page.rows;
    if (end <= from) continue;
    if (page.first >= to) break;
    const overlap = Math.min(end, to) - Math.max(page.first, from);
    bytes += Math.min(page.cap, overlap * page.perRow);
  }
  return bytes;
}

/** The most the whole column decodes to: its values and offsets. */
export function columnBound(column: ColumnBound, rows: number): number {
  return column.pages.reduce((sum, page) => sum + page.cap, 0) + rows * column.offsetWidth;
}

export class DecodeWindows {
  /**
   * `groupStarts` holds each row group's first row in the file; `columns` is empty when the
   * file has no byte-array column, and then each run is read whole, as metadata is exact.
   */
  constructor(
    private readonly callBytes: number,
    private readonly columns: readonly ColumnBound[],
    private readonly groupStarts: readonly number[],
  ) {}

  /** The bound of one call decoding rows [from, from + rows) of the file. */
  private cost(from: number, rows: number): number {
    const to = from + rows;
    let bytes = 0;
    const starts = this.groupStarts;
    const firstGroup = firstPast(starts.length, (g) => starts[g]!, from);
    for (const column of this.columns) {
      bytes += valueBound(column.pages, from, to) + rows * column.offsetWidth;
      for (let g = firstGroup; g < starts.length && starts[g]! < to; g++)
        bytes += column.dictionaries[g] ?? 0;
    }
    return bytes;
  }

  /**
   * Rows for the next call starting at row `from` of the file, out of `left` still to read in
   * this run: the most whose bound fits `callBytes` (or, when the first row's pages alone pass
   * it, that bound plus `callBytes`), and at least one.
   */
  next(from: number, left: number): number {
    if (this.columns.length === 0 || this.cost(from, left) <= this.callBytes) return left;
    // A call decodes at least the pages (and dictionaries) its first row lies in, however few
    // rows it takes: when those alone pass callBytes, the window may still add callBytes of
    // rows beyond them. Windows of one row each would copy the file into the decoder and
    // decode from the row group's start once per row, which never ends on a big group.
    const floor = this.cost(from, 1);
    const bound = floor > this.callBytes ? floor + this.callBytes : this.callBytes;
    let fits = 1;
    let over = left;
    while (over - fits > 1) {
      const mid = Math.floor((fits + over) / 2);
      if (this.cost(from, mid) <= bound) fits = mid;
      else over = mid;
    }
    return fits;
  }
}
