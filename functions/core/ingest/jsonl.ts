import { DatasetError } from '../errors.js';
import type { ColumnCells } from './cells.js';
import { RowCollector } from './json-rows.js';
import { JsonLineScanner } from './jsonl-line.js';
import { assertUtf8, bomLength } from './utf8.js';

const decoder = new TextDecoder();

/** Why a line that doesn't start with `{` is refused: valid JSON of another kind, or not JSON. */
function notAnObject(text: string, line: number): DatasetError {
  try {
    JSON.parse(text);
  } catch (cause) {
    return new DatasetError('JSONL.INVALID_JSON', `line ${line}: invalid JSON`, { cause, details: { line } });
  }
  return new DatasetError(
    'JSONL.NOT_OBJECT',
    `line ${line}: expected a JSON object, got ${text.slice(0, 40)}`,
    {
      details: { line },
    },
  );
}

/**
 * JSON Lines to untyped cells per column: one JSON object per line, blank lines skipped (see
 * RowCollector for the column rules and the cell budget).
 */
export function jsonlColumns(bytes: Uint8Array, maxCells = Number.POSITIVE_INFINITY): ColumnCells[] {
  return jsonlRows(bytes, maxCells).columns;
}

/**
 * jsonlColumns, with the row count (rows may name no column). `shard` reads a shard of a
 * dataset (functions/core/shard): cut after a line break, past any BOM, starting at line
 * `firstLine`, its UTF-8 checked with the whole dataset's.
 */
export function jsonlRows(
  bytes: Uint8Array,
  maxCells = Number.POSITIVE_INFINITY,
  shard?: { readonly firstLine: number },
): {
  readonly columns: ColumnCells[];
  readonly rows: number;
  /** The source line of row `r` (0-based). */
  readonly line: (row: number) => number;
} {
  if (!shard) assertUtf8(bytes);
  const rows = new RowCollector(bytes, new JsonLineScanner(bytes, 'JSONL'), maxCells, 'JSONL');
  let pos = shard ? 0 : bomLength(bytes);
  for (let line = shard?.firstLine ?? 1; pos < bytes.length; line++) {
    const lf = bytes.indexOf(0x0a, pos);
    const end = lf < 0 ? bytes.length : lf;
    let first = pos;
    while (first < end && (bytes[first] === 0x20 || bytes[first] === 0x09 || bytes[first] === 0x0d)) first++;
    if (first < end) {
      if (bytes[first] !== 0x7b) throw notAnObject(decoder.decode(bytes.subarray(first, end)).trim(), line);
      rows.row(first, end, line, true);
    }
    pos = end + 1;
  }
  return { columns: rows.finish(), rows: rows.rowCount, line: rows.line };
}
