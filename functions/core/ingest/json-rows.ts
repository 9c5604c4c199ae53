import { ByteSink } from './byte-sink.js';
import { CELL_NULL, CELL_TEXT, CellBuffer, type ColumnCells } from './cells.js';
import { type JsonLineScanner, VALUE_DECODED, VALUE_NESTED, VALUE_NULL, VALUE_STRING } from './jsonl-line.js';
import { MAX_COLUMNS, MAX_TEXT_BYTES, textTooLarge, tooManyCells, tooManyColumns } from './limits.js';

const decoder = new TextDecoder();

interface Column {
  readonly name: string;
  /** The key's raw bytes, to recognize it on the next row without decoding. */
  readonly key: Uint8Array;
  readonly cells: CellBuffer;
  /** Last row that set this column, so a repeated key overwrites instead of adding a cell. */
  lastRow: number;
  /**
   * How many rows hold an object or array here (nested inference then types the column), and
   * whether the current row's value is one: a repeated key's later value replaces it, so an
   * overwritten object or array must not count (SPLIT-SPEC §1.4, last value wins).
   */
  nestedRows: number;
  rowNested: boolean;
}

function sameBytes(a: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[s + i]) return false;
  return true;
}

/**
 * JSON objects (one per row) to untyped cells per column, shared by JSON Lines and JSON
 * arrays: missing keys null, columns in order of first appearance, a repeated key keeps its
 * last value. Cells point into the source; unescaped strings go to a side buffer laid after it;
 * an object or array value is one cell holding its source range.
 *
 * A missing key still costs a null cell, so a few bytes per row can name a new column and
 * make rows × columns cells: that product is checked against `maxCells` as each row and each
 * column arrives, before their cells are allocated.
 */
export class RowCollector {
  private readonly decoded = new ByteSink(1024);
  private readonly columns = new Map<string, Column>();
  /** The column seen at each member position of the previous row: the usual next key. */
  private readonly slots: (Column | undefined)[] = [];
  private readonly rowLines: number[] = [];
  private rows = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly scanner: JsonLineScanner,
    private readonly maxCells: number,
    private readonly codes: 'JSONL' | 'JSON',
  ) {}

  private columnFor(k: number): Column {
    const { bytes, scanner, columns, rows: row } = this;
    const slot = this.slots[k];
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
      if ((row + 1) * (columns.size + 1) > this.maxCells) {
        throw tooManyCells(row + 1, columns.size + 1, this.maxCells);
      }
      column = {
        name,
        key: bytes.slice(scanner.keyStart, scanner.keyEnd),
        cells: new CellBuffer(Math.max(row + 1, 1024)),
        lastRow: -1,
        nestedRows: 0,
        rowNested: false,
      };
      for (let r = 0; r < row; r++) column.cells.push(0, 0, CELL_NULL);
      columns.set(name, column);
    }
    if (scanner.keyText === undefined) this.slots[k] = column;
    return column;
  }

  /** Reads the object whose `{` is at `first` as the next row (see JsonLineScanner.begin). */
  row(first: number, end: number, line: number, whole: boolean): void {
    const { scanner, decoded, bytes, rows: row } = this;
    if ((row + 1) * this.columns.size > this.maxCells) {
      throw tooManyCells(row + 1, this.columns.size, this.maxCells);
    }
    scanner.begin(first, end, line, whole);
    for (let k = 0; scanner.next(); k++) {
      const column = this.columnFor(k);
      const kind = scanner.kind;
      if (column.lastRow === row) {
        column.cells.length--;
        if (column.rowNested) column.nestedRows--;
      }
      column.lastRow = row;
      column.rowNested = kind === VALUE_NESTED;
      if (column.rowNested) column.nestedRows++;
      if (kind === VALUE_NULL) column.cells.push(0, 0, CELL_NULL);
      else if (kind === VALUE_DECODED) {
        const at = bytes.length + decoded.length;
        decoded.append(scanner.decoded, 0, scanner.decoded.length);
        column.cells.push(at, at + scanner.decoded.length, CELL_TEXT);
      } else {
        column.cells.push(scanner.start, scanner.stop, kind === VALUE_STRING ? CELL_TEXT : 0);
      }
    }
    for (const column of this.columns.values())
      if (column.lastRow !== row) column.cells.push(0, 0, CELL_NULL);
    this.rowLines.push(line);
    this.rows++;
  }

  /** The source line of row `r` (0-based). */
  readonly line = (r: number): number => this.rowLines[r]!;

  /** Rows read so far (a row may name no column: `{}`). */
  get rowCount(): number {
    return this.rows;
  }

  /** The columns read so far. */
  finish(): ColumnCells[] {
    const { bytes, decoded, rowLines, rows } = this;
    let all = bytes;
    if (bytes.length + decoded.length > MAX_TEXT_BYTES) throw textTooLarge(bytes.length + decoded.length);
    if (decoded.length > 0) {
      all = new Uint8Array(bytes.length + decoded.length);
      all.set(bytes);
      all.set(decoded.bytes.subarray(0, decoded.length), bytes.length);
    }
    const locate = (r: number): string => `line ${rowLines[r]}`;
    const { line } = this;
    return [...this.columns.values()].map(({ name, cells: c, nestedRows }) => ({
      name,
      bytes: all,
      start: c.start,
      end: c.end,
      flags: c.flags,
      first: 0,
      stride: 1,
      rows,
      locate,
      ...(nestedRows > 0 ? { nested: { line, codes: this.codes } } : {}),
    }));
  }
}
