import { type Data, makeData, Utf8 } from 'apache-arrow';
import type { BinaryColumn } from '../arrow/flat-column.js';
import { TooLargeError } from '../errors.js';
import { CELL_ESCAPED, CELL_NULL, type ColumnCells } from './cells.js';
import { columnValidity } from './validity.js';

const QUOTE = 0x22;
const MAX_UTF8_BYTES = 2 ** 31 - 1;

/** Copies an escaped cell, turning each doubled quote into one. */
function copyEscaped(src: Uint8Array, s: number, e: number, out: Uint8Array, at: number): number {
  let o = at;
  for (let p = s; p < e; p++) {
    out[o++] = src[p]!;
    if (src[p] === QUOTE) p++;
  }
  return o;
}

/**
 * Builds a Utf8 column straight from the cell bytes. Sizing pass first, so the data buffer is
 * allocated once; escaped cells shrink, which only leaves unused tail capacity.
 */
/**
 * Refuses a text column whose values exceed what Utf8's 32-bit offsets reach. Typing calls it in
 * column order, so the first column at fault is the one reported, whatever the builders do later.
 */
export function checkTextColumn(column: ColumnCells): void {
  const { start, end, stride, rows } = column;
  let total = 0;
  for (let r = 0, i = column.first; r < rows; r++, i += stride) total += end[i]! - start[i]!;
  checkTextSize(column, total);
}

function checkTextSize(column: ColumnCells, total: number): void {
  if (total > MAX_UTF8_BYTES) {
    throw new TooLargeError(
      'DATASET.COLUMN_TOO_LARGE',
      `column "${column.name}" holds ${total} bytes of text; the limit is ${MAX_UTF8_BYTES}`,
    );
  }
}

export function buildUtf8(column: ColumnCells, _inferred = true): Data<Utf8> {
  const { bytes, start, end, flags, stride, rows } = column;
  let total = 0;
  for (let r = 0, i = column.first; r < rows; r++, i += stride) total += end[i]! - start[i]!;
  checkTextSize(column, total);
  const data = new Uint8Array(total);
  const offsets = new Int32Array(rows + 1);
  let at = 0;
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    const f = flags[i]!;
    if (f === 0) {
      const s = start[i]!;
      const e = end[i]!;
      // Most cells are short: a byte loop beats creating a subarray view for each.
      if (e - s > 32) {
        data.set(bytes.subarray(s, e), at);
        at += e - s;
      } else for (let p = s; p < e; p++) data[at++] = bytes[p]!;
    } else if (!(f & CELL_NULL) && f & CELL_ESCAPED) {
      at = copyEscaped(bytes, start[i]!, end[i]!, data, at);
    } else if (!(f & CELL_NULL)) {
      data.set(bytes.subarray(start[i]!, end[i]!), at);
      at += end[i]! - start[i]!;
    }
    offsets[r + 1] = at;
  }
  const { bitmap, nullCount } = columnValidity(column);
  return makeData({
    type: new Utf8(),
    length: rows,
    nullCount,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    data: data.subarray(0, at),
  });
}

/**
 * The same column as ranges into the cell bytes, for splitting, which only ever copies each
 * value once more (into its split file): nothing is copied here. Undefined when a cell still
 * holds doubled quotes, which only a copy (buildUtf8) can undo. The caller has checked the
 * column's size (checkTextColumn).
 */
export function utf8Ranges(column: ColumnCells): BinaryColumn | undefined {
  const { start, end, flags, stride, rows } = column;
  const starts = new Uint32Array(rows);
  const ends = new Uint32Array(rows);
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    const f = flags[i]!;
    if (f & CELL_NULL) continue;
    if (f & CELL_ESCAPED) return undefined;
    starts[r] = start[i]!;
    ends[r] = end[i]!;
  }
  const { bitmap } = columnValidity(column);
  return {
    kind: 'binary',
    name: column.name,
    type: new Utf8(),
    length: rows,
    starts,
    ends,
    data: column.bytes,
    validity: bitmap ?? null,
  };
}
