import { Utf8Stream } from './utf8-stream.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

// Where the CSV reader is, as far as finding rows goes (csv-tokenize.ts reads the same way).
const CELL_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/** One cut of a text file: bytes [start, end), starting at line `line` of the file. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** What one sequential pass over a text file finds. */
export interface TextFileCuts {
  readonly ranges: TextRange[];
  /** CSV: just past the header row; JSON Lines: past the BOM. */
  readonly dataStart: number;
  /** Line breaks (LF) in the whole file, and before dataStart. */
  readonly lineBreaks: number;
  readonly headerBreaks: number;
  readonly bom: number;
  readonly endsWithLf: boolean;
  readonly utf8Fault: number | undefined;
}

/**
 * Finds row boundaries in one pass, a chunk at a time: a CSV row ends at an LF outside a
 * quoted field (a quote opens one only at a cell's start, and a doubled quote inside it stands
 * for one), a JSON Lines row at every LF. A cut is made at the first boundary at least
 * `target` bytes past the previous one, so each range holds whole rows. CSV's first non-empty
 * row is its header, kept out of every range. Malformed CSV is cut somewhere consistent with
 * the reader up to its first fault, which the reader then reports.
 */
export class TextCutter {
  private state = CELL_START;
  private rowStart = 0;
  private rowFirst = -1;
  private breaks = 0;
  private headerBreaks = 0;
  private dataStart = -1;
  private shardStart = 0;
  private shardLine = 1;
  private last = -1;
  private readonly ranges: TextRange[] = [];
  private readonly utf8 = new Utf8Stream();

  constructor(
    private readonly csv: boolean,
    private readonly delimiter: number,
    private readonly target: number,
    private readonly size: number,
    private readonly bom: number,
  ) {}

  push(at: number, bytes: Uint8Array): void {
    this.utf8.push(at, bytes);
    if (at === 0) this.begin();
    if (bytes.length > 0) this.last = bytes[bytes.length - 1]!;
    if (!this.csv) {
      for (let l = bytes.indexOf(LF); l >= 0; l = bytes.indexOf(LF, l + 1)) {
        this.breaks++;
        this.boundary(at + l);
      }
      return;
    }
    const from = this.dataStart < 0 ? this.untilHeader(at, bytes) : 0;
    this.rows(at, bytes, from);
  }

  /** Byte by byte up to the header's end (empty lines before it are skipped); where it stopped. */
  private untilHeader(at: number, bytes: Uint8Array): number {
    let state = this.state;
    let i = 0;
    for (; i < bytes.length && this.dataStart < 0; i++) {
      // A byte-order mark is not part of the header's first cell: a quote after it opens one.
      if (at + i < this.bom) continue;
      const b = bytes[i]!;
      if (b === LF) this.breaks++;
      if (state === QUOTED) {
        if (b === QUOTE) state = QUOTE_SEEN;
        continue;
      }
      if (state === QUOTE_SEEN) {
        if (b === QUOTE) {
          state = QUOTED;
          continue;
        }
        state = UNQUOTED;
      }
      if (b === LF) {
        this.boundary(at + i);
        state = CELL_START;
        continue;
      }
      if (this.rowFirst < 0) this.rowFirst = b;
      if (b === this.delimiter) state = CELL_START;
      else state = state === CELL_START && b === QUOTE ? QUOTED : UNQUOTED;
    }
    this.state = state;
    return i;
  }

  /**
   * The same walk as untilHeader, jumping from quote to quote and line break to line break
   * (indexOf runs at memory speed): only a quote can change what a LF means, and a quote
   * opens a field only right after a delimiter or at a row's start. The next quote and the next
   * LF are remembered, so each byte is searched once for each, however many quoted fields a
   * row has.
   */
  private rows(at: number, bytes: Uint8Array, from: number): void {
    const n = bytes.length;
    const delimiter = this.delimiter;
    let state = this.state;
    // Positions of the next quote and LF at or after the last search (-1: none left, -2: not searched).
    let quote = -2;
    let lf = -2;
    let i = from;
    while (i < n) {
      if (lf !== -1 && lf < i) lf = bytes.indexOf(LF, i);
      if (quote !== -1 && quote < i) quote = bytes.indexOf(QUOTE, i);
      if (state === QUOTED) {
        const stop = quote < 0 ? n : quote;
        while (lf >= 0 && lf < stop) {
          this.breaks++;
          lf = bytes.indexOf(LF, lf + 1);
        }
        if (quote < 0) break;
        state = QUOTE_SEEN;
        i = quote + 1;
        continue;
      }
      if (state === QUOTE_SEEN) {
        if (bytes[i] === QUOTE) {
          state = QUOTED;
          i++;
          continue;
        }
        state = UNQUOTED;
      }
      const end = lf < 0 ? n : lf;
      if (quote >= 0 && quote < end) {
        const atStart = quote === i ? state === CELL_START : bytes[quote - 1] === delimiter;
        state = atStart ? QUOTED : UNQUOTED;
        i = quote + 1;
        continue;
      }
      if (lf < 0) {
        state = bytes[n - 1] === delimiter ? CELL_START : UNQUOTED;
        break;
      }
      this.breaks++;
      this.boundary(at + lf);
      state = CELL_START;
      i = lf + 1;
    }
    this.state = state;
  }

  /** `bom`: the file's byte-order mark length (read apart, since a chunk may be shorter). */
  private begin(): void {
    this.rowStart = this.bom;
    if (!this.csv) {
      this.dataStart = this.bom;
      this.shardStart = this.bom;
    }
  }

  /** The LF at `pos` ends a row (or an empty line). */
  private boundary(pos: number): void {
    const next = pos + 1;
    if (this.dataStart < 0) {
      // The tokenizer skips lines with no bytes (LF, or CR LF) before the header.
      const empty = pos === this.rowStart || (pos === this.rowStart + 1 && this.rowFirst === CR);
      this.rowStart = next;
      this.rowFirst = -1;
      if (empty) return;
      this.dataStart = next;
      this.headerBreaks = this.breaks;
      this.shardStart = next;
      this.shardLine = this.breaks + 1;
      return;
    }
    if (next - this.shardStart >= this.target && next < this.size) {
      this.ranges.push({ start: this.shardStart, end: next, line: this.shardLine });
      this.shardStart = next;
      this.shardLine = this.breaks + 1;
    }
  }

  finish(): TextFileCuts {
    if (this.dataStart < 0) {
      this.dataStart = this.size;
      this.headerBreaks = this.breaks;
      this.shardStart = this.size;
      this.shardLine = this.breaks + 1;
    }
    this.ranges.push({ start: this.shardStart, end: this.size, line: this.shardLine });
    return {
      ranges: this.ranges,
      dataStart: this.dataStart,
      lineBreaks: this.breaks,
      headerBreaks: this.headerBreaks,
      bom: this.bom,
      endsWithLf: this.last === LF,
      utf8Fault: this.utf8.end(),
    };
  }
}
