import type { ColumnType } from '../../../schemas/spec.js';
import { parseBool } from './bool-grammar.js';
import { CELL_ESCAPED, CELL_NULL, CELL_TEXT, type ColumnCells } from './cells.js';
import { parseDecimal, parseSafeInteger } from './number-grammar.js';
import { parseTimestamp, type TimestampParts } from './timestamp-grammar.js';

const BOOL = 1;
const INT = 2;
const FLOAT = 4;
const TIMESTAMP = 8;
const ALL = BOOL | INT | FLOAT | TIMESTAMP;

const scratch: TimestampParts = { seconds: 0, micros: 0 };

/** Which of the still-possible grammars the cell `s..e` matches. */
function matches(bytes: Uint8Array, s: number, e: number, candidates: number): number {
  let found = 0;
  const first = bytes[s]!;
  const numeric = first === 0x2d || (first >= 0x30 && first <= 0x39);
  if (candidates & BOOL && !numeric && parseBool(bytes, s, e) >= 0) found |= BOOL;
  if (candidates & INT && numeric && !Number.isNaN(parseSafeInteger(bytes, s, e))) found |= INT;
  if (candidates & FLOAT && numeric && (found & INT || !Number.isNaN(parseDecimal(bytes, s, e, true)))) {
    found |= FLOAT;
  }
  if (candidates & TIMESTAMP && numeric && !(found & FLOAT) && parseTimestamp(bytes, s, e, scratch)) {
    found |= TIMESTAMP;
  }
  return found;
}

/**
 * Infers a column's type: the first of bool, int64, float64, timestamp that every non-null
 * cell matches, else utf8 (also for a column with no non-null cell).
 */
export function inferType(column: ColumnCells): ColumnType {
  const { bytes, start, end, flags, stride } = column;
  let candidates = ALL;
  let seen = false;
  for (let r = 0, i = column.first; r < column.rows; r++, i += stride) {
    const f = flags[i]!;
    if (f & CELL_NULL) continue;
    if (f & CELL_ESCAPED) return 'utf8';
    seen = true;
    candidates &= f & CELL_TEXT ? TIMESTAMP : ALL;
    candidates = matches(bytes, start[i]!, end[i]!, candidates);
    if (candidates === 0) return 'utf8';
  }
  if (!seen) return 'utf8';
  if (candidates & BOOL) return 'bool';
  if (candidates & INT) return 'int64';
  if (candidates & FLOAT) return 'float64';
  return 'timestamp';
}
