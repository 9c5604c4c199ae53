import { type Data, makeData, Utf8 } from 'apache-arrow';
import { TooLargeError } from '../errors.js';
import { CELL_ESCAPED, CELL_NULL, type ColumnCells } from './cells.js';
import { columnValidity } from './validity.js';

const QUOTE = 0x22;
const MAX_UTF8_BYTES = 2 ** 31 - 1;

/** Copies one cell, turning each doubled quote into one when the cell is flagged as escaped. */
function copyCell(
  src: Uint8Array,
  s: number,
  e: number,
  escaped: boolean,
  out: Uint8Array,
  at: number,
): number {
  if (escaped) {
    let o = at;
    for (let p = s; p < e; p++) {
      out[o++] = src[p]!;
      if (src[p] === QUOTE) p++;
    }
    return o;
  }
  const n = e - s;
  if (n > 32) {
    out.set(src.subarray(s, e), at);
    return at + n;
  }
  for (let p = s; p < e; p++) out[at++] = src[p]!;
  return at;
}

/**
 * Builds a Utf8 column straight from the cell bytes. Sizing pass first, so the data buffer is
 * allocated once; escaped cells shrink, which only leaves unused tail capacity.
 */
export function buildUtf8(column: ColumnCells, _inferred = true): Data<Utf8> {
  const { bytes, start, end, flags, stride, rows } = column;
  let total = 0;
  for (let r = 0, i = column.first; r < rows; r++, i += stride) total += end[i]! - start[i]!;
  if (total > MAX_UTF8_BYTES) {
    throw new TooLargeError(
      'DATASET.COLUMN_TOO_LARGE',
      `column "${column.name}" holds ${total} bytes of text; the limit is ${MAX_UTF8_BYTES}`,
    );
  }
  const data = new Uint8Array(total);
  const offsets = new Int32Array(rows + 1);
  let at = 0;
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    const f = flags[i]!;
    if (!(f & CELL_NULL)) at = copyCell(bytes, start[i]!, end[i]!, (f & CELL_ESCAPED) !== 0, data, at);
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
