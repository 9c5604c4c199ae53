import { DatasetError } from '../errors.js';
import { CELL_ESCAPED, CELL_NULL, CellBuffer } from './cells.js';
import { MAX_COLUMNS, tooManyColumns } from './limits.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** The raw cells of a CSV: row-major, header row first. */
export interface CsvCells {
  readonly cells: CellBuffer;
  /** Cells per row, fixed by the header. */
  readonly width: number;
}

/** 1-based line number of byte `offset`, computed on demand for error messages. */
export function lineAt(bytes: Uint8Array, offset: number): number {
  let n = 1;
  for (let i = bytes.indexOf(LF); i >= 0 && i < offset; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

function unterminated(line: number): DatasetError {
  return new DatasetError('CSV.UNTERMINATED_QUOTE', `quoted field opened on line ${line} is never closed`, {
    details: { line },
  });
}

function textAfterQuote(line: number, byte: number): DatasetError {
  const ch = JSON.stringify(String.fromCharCode(byte));
  return new DatasetError(
    'CSV.TEXT_AFTER_QUOTE',
    `line ${line}: unexpected character ${ch} after a closing quote`,
    {
      details: { line },
    },
  );
}

function ragged(line: number, expected: number, got: number): DatasetError {
  return new DatasetError(
    'CSV.RAGGED_ROW',
    `line ${line}: expected ${expected} fields (as in the header) but got ${got}`,
    {
      details: { line, expected, got },
    },
  );
}

/** How to read rows that don't start at a file's first line (a shard of the file). */
export interface RowsOptions {
  /** Cells per row, known from the header: every row is then a data row. @default the first row's */
  readonly width?: number;
  /** The line number of `bytes[0]`, for error messages. @default 1 */
  readonly firstLine?: number;
}

/**
 * Splits RFC 4180 CSV into cell ranges in one pass over the bytes. Line breaks are LF or CRLF
 * (a CR right before the end counts too); lines with no bytes at all are skipped; every row must
 * have as many cells as the header. The loop writes straight into typed arrays because it runs
 * once per byte of the dataset.
 */
export function tokenizeCsv(
  bytes: Uint8Array,
  from: number,
  delimiter: number,
  rows: RowsOptions = {},
): CsvCells {
  const len = bytes.length;
  // A shard of a file (functions/core/shard) starts past the header, at line `firstLine`.
  const base = (rows.firstLine ?? 1) - 1;
  const line = (offset: number) => lineAt(bytes, offset) + base;
  const cells = new CellBuffer(Math.min(1 << 20, len + 1));
  let { start, end, flags } = cells;
  let n = 0;
  let width = rows.width ?? -1;
  let pos = from;
  while (pos < len) {
    const c = bytes[pos];
    if (c === LF || (c === CR && (pos + 1 === len || bytes[pos + 1] === LF))) {
      pos += c === CR && pos + 1 < len ? 2 : 1;
      continue;
    }
    const rowStart = pos;
    const rowFirst = n;
    for (;;) {
      if (n === start.length) {
        cells.length = n;
        // Grow in proportion to the bytes left, so a large file resizes only a few times.
        cells.grow(Math.ceil((n * (len - from)) / Math.max(pos - from, 1)) + 1024);
        ({ start, end, flags } = cells);
      }
      let p = pos;
      let stop: number;
      if (bytes[p] === QUOTE) {
        let f = 0;
        p++;
        // Line numbers are only needed for errors, so they are counted from offsets then.
        for (;;) {
          p = bytes.indexOf(QUOTE, p);
          if (p < 0) throw unterminated(line(pos));
          if (p + 1 === len || bytes[p + 1] !== QUOTE) break;
          f = CELL_ESCAPED;
          p += 2;
        }
        start[n] = pos + 1;
        end[n] = p;
        flags[n] = p === pos + 1 ? CELL_NULL : f;
        stop = p + 1;
        if (stop < len) {
          const t = bytes[stop]!;
          if (t !== delimiter && t !== LF && !(t === CR && (stop + 1 === len || bytes[stop + 1] === LF))) {
            throw textAfterQuote(line(stop), t);
          }
        }
      } else {
        let b = 0;
        while (p < len) {
          b = bytes[p]!;
          if (b === delimiter || b === LF) break;
          p++;
        }
        stop = p;
        if (p < len && b === delimiter) {
          start[n] = pos;
          end[n] = p;
          flags[n++] = p === pos ? CELL_NULL : 0;
          pos = p + 1;
          continue;
        }
        if (p > pos && bytes[p - 1] === CR) p--;
        start[n] = pos;
        end[n] = p;
        flags[n] = p === pos ? CELL_NULL : 0;
      }
      n++;
      if (stop < len && bytes[stop] === delimiter) {
        pos = stop + 1;
        continue;
      }
      // Past the cell: at the end, or at LF, or at the CR of a CRLF (or of a CR that ends the file).
      pos = stop >= len ? len : stop + (bytes[stop] === CR ? 2 : 1);
      break;
    }
    const got = n - rowFirst;
    if (width < 0) {
      if (got > MAX_COLUMNS) throw tooManyColumns(got);
      width = got;
    } else if (got !== width) throw ragged(line(rowStart), width, got);
  }
  cells.length = n;
  return { cells, width: Math.max(width, 0) };
}
