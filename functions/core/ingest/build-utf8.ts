import { type Data, makeData, Utf8 } from 'apache-arrow';
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
