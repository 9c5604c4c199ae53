import { DatasetError } from '../errors.js';
import type { ColumnCells } from './cells.js';
import { RowCollector } from './json-rows.js';
import { JsonLineScanner } from './jsonl-line.js';
import { assertUtf8, bomLength } from './utf8.js';

const decoder = new TextDecoder();

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

/** Counts lines as the reader moves forward, so each byte is looked at once. */
class LineCounter {
  private at = 0;
  private line = 1;

  constructor(private readonly bytes: Uint8Array) {}

  /** The 1-based line of byte `offset` (never less than a previous call's). */
  of(offset: number): number {
    for (
      let i = this.bytes.indexOf(0x0a, this.at);
      i >= 0 && i < offset;
      i = this.bytes.indexOf(0x0a, i + 1)
    ) {
      this.line++;
    }
    this.at = offset;
    return this.line;
  }
}

function refuse(code: string, why: string, line: number, offset: number, extra: object = {}): DatasetError {
  return new DatasetError(`JSON.${code}`, `line ${line}: ${why}`, { details: { line, offset, ...extra } });
}

/**
 * A JSON file holding one array of objects to untyped cells per column: each element is one
 * row, read exactly like a JSON Lines line (RowCollector), so the same objects give the same
 * columns. The array is walked element by element; no JS value of the file is ever built.
 */
export function jsonArrayColumns(bytes: Uint8Array, maxCells = Number.POSITIVE_INFINITY): ColumnCells[] {
  assertUtf8(bytes);
  const scanner = new JsonLineScanner(bytes, 'JSON');
  const rows = new RowCollector(bytes, scanner, maxCells, 'JSON');
  const lines = new LineCounter(bytes);
  const n = bytes.length;
  let p = bomLength(bytes);
  const skipSpace = () => {
    while (p < n && isSpace(bytes[p])) p++;
  };
  skipSpace();
  if (bytes[p] !== 0x5b) throw refuse('NOT_ARRAY', 'expected a JSON array ("[")', lines.of(p), p);
  p++;
  skipSpace();
  if (bytes[p] === 0x5d) p++;
  else {
    for (let index = 0; ; index++) {
      if (p >= n)
        throw refuse('UNCLOSED_ARRAY', 'the input ends before the array\'s closing "]"', lines.of(p), p);
      if (bytes[p] === 0x5d) throw refuse('INVALID_JSON', 'invalid JSON (a "," before "]")', lines.of(p), p);
      if (bytes[p] !== 0x7b) {
        const what = decoder.decode(bytes.subarray(p, Math.min(n, p + 40)));
        throw refuse('NOT_OBJECT', `element ${index} is not a JSON object: ${what}`, lines.of(p), p, {
          index,
        });
      }
      rows.row(p, n, lines.of(p), false);
      p = scanner.after;
      skipSpace();
      if (p >= n)
        throw refuse('UNCLOSED_ARRAY', 'the input ends before the array\'s closing "]"', lines.of(p), p);
      const c = bytes[p++];
      if (c === 0x5d) break;
      if (c !== 0x2c)
        throw refuse('INVALID_JSON', 'invalid JSON (expected "," or "]")', lines.of(p - 1), p - 1);
      skipSpace();
    }
  }
  skipSpace();
  if (p < n) throw refuse('TRAILING_DATA', 'text after the array\'s closing "]"', lines.of(p), p);
  return rows.finish();
}
