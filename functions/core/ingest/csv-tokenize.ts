import { DatasetError } from '../errors.js';
import { CELL_ESCAPED, CELL_NULL, CellBuffer } from './cells.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** The raw cells of a CSV: row-major, header row first. */
export interface CsvCells {
  readonly cells: CellBuffer;
  /** Cells per row, fixed by the header. */
  readonly width: number;
}

function countLineBreaks(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = bytes.indexOf(LF, from); i >= 0 && i < to; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

/** 1-based line number of byte `offset`, computed on demand for error messages. */
export function lineAt(bytes: Uint8Array, offset: number): number {
  return countLineBreaks(bytes, 0, offset) + 1;
}

/**
 * Splits RFC 4180 CSV into cell ranges in one pass over the bytes. Line breaks are LF or CRLF;
 * lines with no bytes at all are skipped; every row must have as many cells as the header.
 */
export function tokenizeCsv(bytes: Uint8Array, from: number, delimiter: number): CsvCells {
  const len = bytes.length;
  const cells = new CellBuffer(1 << 16);
  let width = -1;
  let pos = from;
  let line = 1;
  let rowLine = 1;
  let inRow = 0;
  while (pos < len) {
    if (inRow === 0) {
      const c = bytes[pos];
      if (c === LF || (c === CR && (pos + 1 === len || bytes[pos + 1] === LF))) {
        pos += c === CR && pos + 1 < len ? 2 : 1;
        line++;
        continue;
      }
      rowLine = line;
    }
    let end: number;
    let flags = 0;
    let next: number;
    if (bytes[pos] === QUOTE) {
      const open = pos;
      let p = pos + 1;
      for (;;) {
        const q = bytes.indexOf(QUOTE, p);
        if (q < 0) {
          throw new DatasetError('CSV.UNTERMINATED_QUOTE', `quoted field opened on line ${line} is never closed`, {
            details: { line },
          });
        }
        if (bytes[q + 1] !== QUOTE) {
          end = q;
          break;
        }
        flags = CELL_ESCAPED;
        p = q + 2;
      }
      line += countLineBreaks(bytes, open + 1, end);
      const start = open + 1;
      next = end + 1;
      const t = bytes[next];
      if (!(next === len || t === delimiter || t === LF || (t === CR && (next + 1 === len || bytes[next + 1] === LF)))) {
        throw new DatasetError(
          'CSV.TEXT_AFTER_QUOTE',
          `line ${line}: unexpected character ${JSON.stringify(String.fromCharCode(t!))} after a closing quote`,
          { details: { line } },
        );
      }
      cells.push(start, end, start === end ? CELL_NULL : flags);
    } else {
      let p = pos;
      while (p < len) {
        const b = bytes[p];
        if (b === delimiter || b === LF) break;
        p++;
      }
      next = p;
      end = p > pos && bytes[p - 1] === CR && (p === len || bytes[p] === LF) ? p - 1 : p;
      cells.push(pos, end, pos === end ? CELL_NULL : 0);
    }
    inRow++;
    if (next < len && bytes[next] === delimiter) {
      pos = next + 1;
      // A delimiter as the very last byte still opens one (empty) final cell.
      if (pos === len) cells.push(pos, pos, CELL_NULL);
      else continue;
      inRow++;
    } else {
      pos = next < len ? next + (bytes[next] === CR ? 2 : 1) : next;
      if (next < len) line++;
    }
    if (width < 0) width = inRow;
    else if (inRow !== width) {
      throw new DatasetError(
        'CSV.RAGGED_ROW',
        `line ${rowLine}: expected ${width} fields (as in the header) but got ${inRow}`,
        { details: { line: rowLine, expected: width, got: inRow } },
      );
    }
    inRow = 0;
  }
  return { cells, width: Math.max(width, 0) };
}
