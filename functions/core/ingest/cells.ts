/**
 * Cells are byte ranges into one buffer, so CSV and JSON Lines values reach type inference and
 * the Arrow builders without ever becoming JS strings.
 */

/** The cell is empty (CSV) or null/missing (JSON Lines). */
export const CELL_NULL = 1;
/** The range still holds doubled quotes (`""`) that stand for one `"`. */
export const CELL_ESCAPED = 2;
/** A JSON string: it may only become utf8 or timestamp, never a number or bool. */
export const CELL_TEXT = 4;

/** One column's view of the cells: cell `r` is at index `first + r * stride`. */
export interface ColumnCells {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly flags: Uint8Array;
  readonly first: number;
  readonly stride: number;
  readonly rows: number;
  /** Where data row `row` (0-based) came from, for error messages, e.g. "line 7". */
  readonly locate: (row: number) => string;
  /**
   * JSON Lines and JSON only, set when some cell holds an object or array (its source text,
   * flags 0): nested inference then types the column. `line(row)` is the row's source line;
   * `codes` prefixes the format's error codes.
   */
  readonly nested?: { readonly line: (row: number) => number; readonly codes: 'JSONL' | 'JSON' };
}

/** Growable parallel arrays of cell ranges and flags. */
export class CellBuffer {
  start: Uint32Array;
  end: Uint32Array;
  flags: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.start = new Uint32Array(capacity);
    this.end = new Uint32Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  push(start: number, end: number, flags: number): void {
    if (this.length === this.start.length) this.grow(this.length + 1);
    const i = this.length++;
    this.start[i] = start;
    this.end[i] = end;
    this.flags[i] = flags;
  }

  /** Makes room for at least `size` cells. */
  grow(size: number): void {
    if (size <= this.start.length) return;
    const capacity = Math.max(size, this.start.length * 2);
    const start = new Uint32Array(capacity);
    const end = new Uint32Array(capacity);
    const flags = new Uint8Array(capacity);
    start.set(this.start.subarray(0, this.length));
    end.set(this.end.subarray(0, this.length));
    flags.set(this.flags.subarray(0, this.length));
    this.start = start;
    this.end = end;
    this.flags = flags;
  }
}
