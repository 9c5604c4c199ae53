import { Bool, type Data, type DataType, Float64, Int64, makeData, TimestampMicrosecond } from 'apache-arrow';
import { parseBool } from './bool-grammar.js';
import { CELL_ESCAPED, CELL_NULL, CELL_TEXT, type ColumnCells } from './cells.js';
import { parseDecimal, parseInt64, parseSafeInteger } from './number-grammar.js';
import { parseTimestamp, type TimestampParts } from './timestamp-grammar.js';
import { columnValidity } from './validity.js';

const TWO_POW_32 = 2 ** 32;
const TWO_POW_26 = 2 ** 26;
/**
 * Each builder returns the finished column, or the 0-based row of the first cell it can't take.
 * `inferred` applies inference's stricter rules: no JSON strings as numbers or bools, no
 * doubled quotes, integers only within 2^53. The caller turns a refused row into an error or
 * into the next inference candidate.
 */
export type BuildResult<T extends DataType> = Data<T> | number;

/** Cells that inference never reads as a number or bool. */
const NOT_SCALAR = CELL_TEXT | CELL_ESCAPED;

/** Int64 words are written as two int32 halves so safe integers never become BigInts. */
export function buildInt64(column: ColumnCells, inferred: boolean): BuildResult<Int64> {
  const { bytes, start, end, flags, stride, rows } = column;
  const values = new BigInt64Array(rows);
  const words = new Int32Array(values.buffer);
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    const f = flags[i]!;
    if (f & CELL_NULL) continue;
    if (inferred && f & NOT_SCALAR) return r;
    const v = parseSafeInteger(bytes, start[i]!, end[i]!);
    if (Number.isNaN(v)) {
      const big = inferred ? undefined : parseInt64(bytes, start[i]!, end[i]!);
      if (big === undefined) return r;
      values[r] = big;
      continue;
    }
    words[2 * r] = v | 0;
    // Small values skip the float division: their high word is just the sign.
    words[2 * r + 1] = v === (v | 0) ? v >> 31 : Math.floor(v / TWO_POW_32) | 0;
  }
  const { bitmap, nullCount } = columnValidity(column);
  return makeData({ type: new Int64(), length: rows, nullCount, nullBitmap: bitmap, data: values });
}

export function buildFloat64(column: ColumnCells, inferred: boolean): BuildResult<Float64> {
  const { bytes, start, end, flags, stride, rows } = column;
  const values = new Float64Array(rows);
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    const f = flags[i]!;
    if (f & CELL_NULL) continue;
    if (inferred && f & NOT_SCALAR) return r;
    const v = parseDecimal(bytes, start[i]!, end[i]!, inferred);
    if (Number.isNaN(v)) return r;
    values[r] = v;
  }
  const { bitmap, nullCount } = columnValidity(column);
  return makeData({ type: new Float64(), length: rows, nullCount, nullBitmap: bitmap, data: values });
}

export function buildBool(column: ColumnCells, inferred: boolean): BuildResult<Bool> {
  const { bytes, start, end, flags, stride, rows } = column;
  const values = new Uint8Array(((rows + 63) >> 6) << 3);
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    const f = flags[i]!;
    if (f & CELL_NULL) continue;
    if (inferred && f & NOT_SCALAR) return r;
    const v = parseBool(bytes, start[i]!, end[i]!);
    if (v < 0) return r;
    if (v === 1) values[r >> 3]! |= 1 << (r & 7);
  }
  const { bitmap, nullCount } = columnValidity(column);
  return makeData({ type: new Bool(), length: rows, nullCount, nullBitmap: bitmap, data: values });
}

/**
 * Microseconds since the epoch reach 2^58 for year 9999, past exact doubles, so the int64 is
 * assembled from parts that are each exact: seconds * 10^6 = (seconds * 15625) * 2^6.
 */
export function buildTimestamp(column: ColumnCells, _inferred: boolean): BuildResult<TimestampMicrosecond> {
  const { bytes, start, end, flags, stride, rows } = column;
  const values = new BigInt64Array(rows);
  const words = new Int32Array(values.buffer);
  const parts: TimestampParts = { seconds: 0, micros: 0 };
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    if (flags[i]! & CELL_NULL) continue;
    if (!parseTimestamp(bytes, start[i]!, end[i]!, parts)) return r;
    const q = parts.seconds * 15625;
    let hi = Math.floor(q / TWO_POW_26);
    let lo = (q - hi * TWO_POW_26) * 64 + parts.micros;
    const carry = Math.floor(lo / TWO_POW_32);
    hi += carry;
    lo -= carry * TWO_POW_32;
    words[2 * r] = lo | 0;
    words[2 * r + 1] = hi | 0;
  }
  const { bitmap, nullCount } = columnValidity(column);
  const type = new TimestampMicrosecond('UTC');
  return makeData({ type, length: rows, nullCount, nullBitmap: bitmap, data: values });
}
