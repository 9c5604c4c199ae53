import { DatasetError } from '../errors.js';
import { ByteSink } from './byte-sink.js';
import { CELL_NULL, CELL_TEXT, CellBuffer, type ColumnCells } from './cells.js';
import { JsonLineScanner, VALUE_DECODED, VALUE_NULL, VALUE_STRING } from './jsonl-line.js';
import { MAX_COLUMNS, MAX_TEXT_BYTES, textTooLarge, tooManyCells, tooManyColumns } from './limits.js';
import { assertUtf8, bomLength } from './utf8.js';

const decoder = new TextDecoder();

interface Column {
  readonly name: string;
  /** The key's raw bytes, to recognize it on the next line without decoding. */
  readonly key: Uint8Array;
  readonly cells: CellBuffer;
  /** Last row that set this column, so a repeated key overwrites instead of adding a cell. */
  lastRow: number;
}

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

function sameBytes(a: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[s + i]) return false;
  return true;
}

/**
 * JSON Lines to untyped cells per column: one flat object per line, blank lines skipped, missing keys
 * null, columns in order of first appearance, a repeated key keeps its last value. Cells point
 * into the source; unescaped strings go to a side buffer laid after it.
 *
 * A missing key still costs a null cell, so a few bytes per line can name a new column and
 * make rows × columns cells: that product is checked against `maxCells` as each row and each
 * column arrives, before their cells are allocated.
 */
export function jsonlColumns(bytes: Uint8Array, maxCells = Number.POSITIVE_INFINITY): ColumnCells[] {
  assertUtf8(bytes);
  const decoded = new ByteSink(1024);
  const columns = new Map<string, Column>();
  /** The column seen at each member position of the previous line: the usual next key. */
  const slots: (Column | undefined)[] = [];
  const rowLines: number[] = [];
  const scanner = new JsonLineScanner(bytes);
  let row = 0;
  const columnFor = (k: number): Column => {
    const slot = slots[k];
    if (
      slot &&
      scanner.keyText === undefined &&
      sameBytes(slot.key, bytes, scanner.keyStart, scanner.keyEnd)
    ) {
      return slot;
    }
    const name = scanner.keyText ?? decoder.decode(bytes.subarray(scanner.keyStart, scanner.keyEnd));
    let column = columns.get(name);
    if (!column) {
      if (columns.size === MAX_COLUMNS) throw tooManyColumns(MAX_COLUMNS + 1);
      if ((row + 1) * (columns.size + 1) > maxCells) throw tooManyCells(row + 1, columns.size + 1, maxCells);
      column = {
        name,
        key: bytes.slice(scanner.keyStart, scanner.keyEnd),
        cells: new CellBuffer(Math.max(row + 1, 1024)),
        lastRow: -1,
      };
      for (let r = 0; r < row; r++) column.cells.push(0, 0, CELL_NULL);
      columns.set(name, column);
    }
    if (scanner.keyText === undefined) slots[k] = column;
    return column;
  };
  let pos = bomLength(bytes);
  for (let line = 1; pos < bytes.length; line++) {
    const lf = bytes.indexOf(0x0a, pos);
    const end = lf < 0 ? bytes.length : lf;
    let first = pos;
    while (first < end && (bytes[first] === 0x20 || bytes[first] === 0x09 || bytes[first] === 0x0d)) first++;
    if (first < end) {
      if (bytes[first] !== 0x7b) throw notAnObject(decoder.decode(bytes.subarray(first, end)).trim(), line);
      if ((row + 1) * columns.size > maxCells) throw tooManyCells(row + 1, columns.size, maxCells);
      scanner.begin(first, end, line);
      for (let k = 0; scanner.next(); k++) {
        const column = columnFor(k);
        if (column.lastRow === row) column.cells.length--;
        column.lastRow = row;
        const kind = scanner.kind;
        if (kind === VALUE_NULL) column.cells.push(0, 0, CELL_NULL);
        else if (kind === VALUE_DECODED) {
          const at = bytes.length + decoded.length;
          decoded.append(scanner.decoded, 0, scanner.decoded.length);
          column.cells.push(at, at + scanner.decoded.length, CELL_TEXT);
        } else column.cells.push(scanner.start, scanner.stop, kind === VALUE_STRING ? CELL_TEXT : 0);
      }
      for (const column of columns.values()) if (column.lastRow !== row) column.cells.push(0, 0, CELL_NULL);
      rowLines.push(line);
      row++;
    }
    pos = end + 1;
  }
  let all = bytes;
  if (bytes.length + decoded.length > MAX_TEXT_BYTES) throw textTooLarge(bytes.length + decoded.length);
  if (decoded.length > 0) {
    all = new Uint8Array(bytes.length + decoded.length);
    all.set(bytes);
    all.set(decoded.bytes.subarray(0, decoded.length), bytes.length);
  }
  const locate = (r: number): string => `line ${rowLines[r]}`;
  return [...columns.values()].map(({ name, cells: c }) => ({
    name,
    bytes: all,
    start: c.start,
    end: c.end,
    flags: c.flags,
    first: 0,
    stride: 1,
    rows: row,
    locate,
  }));
}
