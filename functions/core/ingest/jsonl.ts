import type { Table } from 'apache-arrow';
import type { ColumnType } from '../../../schemas/spec.js';
import { DatasetError } from '../errors.js';
import { assembleTable } from './assemble.js';
import { ByteSink } from './byte-sink.js';
import { CELL_NULL, CELL_TEXT, CellBuffer, type ColumnCells } from './cells.js';
import { JsonLineScanner, type JsonValue } from './jsonl-line.js';
import { MAX_COLUMNS, tooManyColumns } from './limits.js';
import { assertUtf8, bomLength } from './utf8.js';

const decoder = new TextDecoder();

interface Column {
  readonly name: string;
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

/**
 * JSON Lines to an Arrow table: one flat object per line, blank lines skipped, missing keys
 * null, columns in order of first appearance, a repeated key keeps its last value.
 */
export function ingestJsonl(
  bytes: Uint8Array,
  schema: Readonly<Record<string, ColumnType>> | undefined,
): Table {
  assertUtf8(bytes);
  const sink = new ByteSink(bytes.length);
  const columns = new Map<string, Column>();
  const rowLines: number[] = [];
  const scanner = new JsonLineScanner(bytes);
  let row = 0;
  const put = (key: string, value: JsonValue): void => {
    let column = columns.get(key);
    if (!column) {
      if (columns.size === MAX_COLUMNS) throw tooManyColumns(MAX_COLUMNS + 1);
      column = { name: key, cells: new CellBuffer(Math.max(row + 1, 1024)), lastRow: -1 };
      for (let r = 0; r < row; r++) column.cells.push(0, 0, CELL_NULL);
      columns.set(key, column);
    }
    if (column.lastRow === row) column.cells.length--;
    column.lastRow = row;
    const at = sink.length;
    if (value.kind === 'null') column.cells.push(at, at, CELL_NULL);
    else if (value.kind === 'decoded') {
      sink.append(value.bytes, 0, value.bytes.length);
      column.cells.push(at, sink.length, CELL_TEXT);
    } else {
      sink.append(bytes, value.start, value.end);
      column.cells.push(at, sink.length, value.text ? CELL_TEXT : 0);
    }
  };
  let pos = bomLength(bytes);
  for (let line = 1; pos < bytes.length; line++) {
    const lf = bytes.indexOf(0x0a, pos);
    const end = lf < 0 ? bytes.length : lf;
    let first = pos;
    while (first < end && (bytes[first] === 0x20 || bytes[first] === 0x09 || bytes[first] === 0x0d)) first++;
    if (first < end) {
      if (bytes[first] !== 0x7b) throw notAnObject(decoder.decode(bytes.subarray(first, end)).trim(), line);
      scanner.scan(first, end, line, put);
      for (const column of columns.values()) if (column.lastRow !== row) column.cells.push(0, 0, CELL_NULL);
      rowLines.push(line);
      row++;
    }
    pos = end + 1;
  }
  const locate = (r: number): string => `line ${rowLines[r]}`;
  const cells: ColumnCells[] = [...columns.values()].map(({ name, cells: c }) => ({
    name,
    bytes: sink.bytes,
    start: c.start,
    end: c.end,
    flags: c.flags,
    first: 0,
    stride: 1,
    rows: row,
    locate,
  }));
  return assembleTable(cells, schema);
}
