import { Bool, type Data, Float64, Int64, makeData, TimestampMicrosecond } from 'apache-arrow';
import { DatasetError } from '../errors.js';
import { parseBool } from './bool-grammar.js';
import { CELL_NULL, type ColumnCells } from './cells.js';
import { parseDecimal, parseInt64, parseSafeInteger } from './number-grammar.js';
import { parseTimestamp, type TimestampParts } from './timestamp-grammar.js';
import { columnValidity } from './validity.js';

const TWO_POW_32 = 2 ** 32;
const TWO_POW_26 = 2 ** 26;
const decoder = new TextDecoder();

/** Raised only under an explicit schema: inferred types match every cell by construction. */
function mismatch(column: ColumnCells, row: number, i: number, type: string): DatasetError {
  const raw = decoder.decode(column.bytes.subarray(column.start[i]!, column.end[i]!));
  const value = raw.length > 100 ? `${raw.slice(0, 100)}...` : raw;
  return new DatasetError(
    'DATASET.TYPE_MISMATCH',
    `column "${column.name}", row ${row + 1} (${column.locate(row)}): ${JSON.stringify(value)} is not a valid ${type}`,
    { details: { column: column.name, row: row + 1, value } },
  );
}

/** Int64 words are written as two int32 halves so safe integers never become BigInts. */
export function buildInt64(column: ColumnCells): Data<Int64> {
  const { bytes, start, end, flags, stride, rows } = column;
  const values = new BigInt64Array(rows);
  const words = new Int32Array(values.buffer);
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    if (flags[i]! & CELL_NULL) continue;
    const v = parseSafeInteger(bytes, start[i]!, end[i]!);
    if (Number.isNaN(v)) {
      const big = parseInt64(bytes, start[i]!, end[i]!);
      if (big === undefined) throw mismatch(column, r, i, 'int64');
      values[r] = big;
      continue;
    }
    words[2 * r] = v | 0;
    words[2 * r + 1] = Math.floor(v / TWO_POW_32) | 0;
  }
  const { bitmap, nullCount } = columnValidity(column);
  return makeData({ type: new Int64(), length: rows, nullCount, nullBitmap: bitmap, data: values });
}

export function buildFloat64(column: ColumnCells): Data<Float64> {
  const { bytes, start, end, flags, stride, rows } = column;
  const values = new Float64Array(rows);
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    if (flags[i]! & CELL_NULL) continue;
    const v = parseDecimal(bytes, start[i]!, end[i]!, false);
    if (Number.isNaN(v)) throw mismatch(column, r, i, 'float64');
    values[r] = v;
  }
  const { bitmap, nullCount } = columnValidity(column);
  return makeData({ type: new Float64(), length: rows, nullCount, nullBitmap: bitmap, data: values });
}

export function buildBool(column: ColumnCells): Data<Bool> {
  const { bytes, start, end, flags, stride, rows } = column;
  const values = new Uint8Array(((rows + 63) >> 6) << 3);
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    if (flags[i]! & CELL_NULL) continue;
    const v = parseBool(bytes, start[i]!, end[i]!);
    if (v < 0) throw mismatch(column, r, i, 'bool');
    if (v === 1) values[r >> 3]! |= 1 << (r & 7);
  }
  const { bitmap, nullCount } = columnValidity(column);
  return makeData({ type: new Bool(), length: rows, nullCount, nullBitmap: bitmap, data: values });
}

/**
 * Microseconds since the epoch reach 2^58 for year 9999, past exact doubles, so the int64 is
 * assembled from parts that are each exact: seconds * 10^6 = (seconds * 15625) * 2^6.
 */
export function buildTimestamp(column: ColumnCells): Data<TimestampMicrosecond> {
  const { bytes, start, end, flags, stride, rows } = column;
  const values = new BigInt64Array(rows);
  const words = new Int32Array(values.buffer);
  const parts: TimestampParts = { seconds: 0, micros: 0 };
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    if (flags[i]! & CELL_NULL) continue;
    if (!parseTimestamp(bytes, start[i]!, end[i]!, parts)) throw mismatch(column, r, i, 'timestamp');
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
