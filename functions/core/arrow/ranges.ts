/**
 * A selection of rows as ranges: rows [starts[k], ends[k]) for k < count, in order. Under a
 * list, the rows a split picks become ranges of the child, so nested payload is copied in runs
 * (a whole embedding, a whole token list) rather than value by value.
 */
export interface Ranges {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly count: number;
  /** Rows in all ranges. */
  readonly rows: number;
}

/** Collects ranges, joining one that starts where the last ended. */
export class RangeBuilder {
  private starts: Float64Array;
  private ends: Float64Array;
  private count = 0;
  private rows = 0;

  constructor(capacity: number) {
    this.starts = new Float64Array(Math.max(capacity, 1));
    this.ends = new Float64Array(Math.max(capacity, 1));
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    this.rows += end - start;
    if (this.count > 0 && this.ends[this.count - 1] === start) {
      this.ends[this.count - 1] = end;
      return;
    }
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = start;
    this.ends[this.count++] = end;
  }

  private grow(): void {
    const starts = new Float64Array(this.starts.length * 2);
    const ends = new Float64Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  build(): Ranges {
    return { starts: this.starts, ends: this.ends, count: this.count, rows: this.rows };
  }
}

/** The chosen rows of a split as ranges (consecutive rows joined). */
export function rangesOfRows(rows: Uint32Array): Ranges {
  const b = new RangeBuilder(rows.length);
  for (let i = 0; i < rows.length; i++) b.add(rows[i]!, rows[i]! + 1);
  return b.build();
}

/** Every row of the ranges, in order (for layouts that write a word per row anyway). */
export function rowsOfRanges(r: Ranges): Uint32Array {
  const rows = new Uint32Array(r.rows);
  let at = 0;
  for (let k = 0; k < r.count; k++) for (let i = r.starts[k]!; i < r.ends[k]!; i++) rows[at++] = i;
  return rows;
}
