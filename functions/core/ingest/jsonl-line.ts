import { DatasetError } from '../errors.js';
import { MAX_NESTING_DEPTH, skipNested } from './json-skip.js';
import { isJsonNumber } from './number-grammar.js';
import { wellFormedText } from './well-formed.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Kinds of value the scanner reports in `JsonLineScanner.kind`. */
export const VALUE_NULL = 0;
/** A string without escapes: its content is `bytes[start..end]`. */
export const VALUE_STRING = 1;
/** A string with escapes: its decoded content is in `decoded`. */
export const VALUE_DECODED = 2;
/** A number token or true/false: `bytes[start..end]` is the source text. */
export const VALUE_TOKEN = 3;
/** An object or array, validated but not parsed: `bytes[start..end]` is its source text. */
export const VALUE_NESTED = 4;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

function spells(bytes: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[s + i] !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * A cursor over the members of one JSON object (a JSON Lines line, or an element of a JSON
 * array). It reports each member through fields rather than objects because it runs once per
 * value of the dataset. Object and array values are validated and reported as source ranges
 * (VALUE_NESTED); typing them is left to nested inference.
 */
export class JsonLineScanner {
  private p = 0;
  private end = 0;
  private line = 0;
  private spanStart = 0;
  private whole = true;
  private first = true;
  /** After the closing `}` when the object need not fill its span: the offset just past it. */
  after = 0;
  /** The current key: raw bytes `keyStart..keyEnd`, or `keyText` when it had escapes. */
  keyStart = 0;
  keyEnd = 0;
  keyText: string | undefined;
  kind = VALUE_NULL;
  start = 0;
  stop = 0;
  decoded: Uint8Array = new Uint8Array(0);
  /** The open containers of the nested value being skipped, reused across values. */
  private readonly stack = new Uint8Array(MAX_NESTING_DEPTH);

  /** `codes` prefixes the error codes: `JSONL` for JSON Lines, `JSON` for a JSON array. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly codes: 'JSONL' | 'JSON' = 'JSONL',
  ) {}

  /** The 1-based line of byte `at`: the span's line plus the LFs inside the span before it. */
  lineAt(at: number): number {
    let line = this.line;
    for (
      let i = this.bytes.indexOf(0x0a, this.spanStart);
      i >= 0 && i < at;
      i = this.bytes.indexOf(0x0a, i + 1)
    ) {
      line++;
    }
    return line;
  }

  private fail(why: string, at = this.p): DatasetError {
    const line = this.lineAt(at);
    return new DatasetError(`${this.codes}.INVALID_JSON`, `line ${line}: invalid JSON (${why})`, {
      details: { line, offset: at },
    });
  }

  private skipSpace(): void {
    while (this.p < this.end && isSpace(this.bytes[this.p])) this.p++;
  }

  /** Scans a string at `p` (on its opening quote); returns true when it holds escapes. */
  private string(): boolean {
    const { bytes, end } = this;
    let p = this.p + 1;
    let escaped = false;
    for (;;) {
      if (p >= end) throw this.fail('unterminated string');
      const b = bytes[p]!;
      if (b === QUOTE) break;
      if (b < 0x20) throw this.fail('control character in a string');
      if (b === BACKSLASH) {
        escaped = true;
        p++;
      }
      p++;
    }
    this.start = this.p + 1;
    this.stop = p;
    this.p = p + 1;
    return escaped;
  }

  private unescape(): string {
    const raw = decoder.decode(this.bytes.subarray(this.start - 1, this.stop + 1));
    try {
      return JSON.parse(raw) as string;
    } catch (cause) {
      const line = this.lineAt(this.start);
      throw new DatasetError(`${this.codes}.INVALID_JSON`, `line ${line}: invalid JSON (bad string escape)`, {
        cause,
        details: { line, offset: this.start - 1 },
      });
    }
  }

  /**
   * Starts an object whose `{` is at `start`, on line `line`. With `whole`, only spaces may
   * follow it up to `end` (a JSON Lines line); otherwise it may end anywhere before `end`, and
   * `after` tells where (an element of a JSON array).
   */
  begin(start: number, end: number, line: number, whole = true): void {
    this.p = start + 1;
    this.spanStart = start;
    this.end = end;
    this.line = line;
    this.whole = whole;
    this.first = true;
  }

  /** Moves to the next member and reads it; false after the closing `}` (and checks the rest). */
  next(): boolean {
    this.skipSpace();
    const { bytes } = this;
    if (this.first) {
      this.first = false;
      if (bytes[this.p] === 0x7d && this.p < this.end) {
        this.p++;
        return this.close();
      }
    } else {
      const sep = this.p < this.end ? bytes[this.p++] : undefined;
      if (sep === 0x7d) return this.close();
      if (sep !== 0x2c) throw this.fail('expected "," or "}"', this.p - 1);
      this.skipSpace();
    }
    if (bytes[this.p] !== QUOTE || this.p >= this.end) throw this.fail('expected a string key');
    const escapedKey = this.string();
    this.keyStart = this.start;
    this.keyEnd = this.stop;
    // A lone surrogate escape in a key becomes U+FFFD, as in values (SPLIT-SPEC §1.4).
    this.keyText = escapedKey ? wellFormedText(this.unescape()) : undefined;
    this.skipSpace();
    if (bytes[this.p] !== 0x3a || this.p >= this.end) throw this.fail('expected ":"');
    this.p++;
    this.value();
    return true;
  }

  /** After the closing `}`: only spaces may follow when the object fills its span. */
  private close(): boolean {
    this.after = this.p;
    if (!this.whole) return false;
    this.skipSpace();
    if (this.p !== this.end) throw this.fail('text after the closing "}"');
    return false;
  }

  private value(): void {
    this.skipSpace();
    const { bytes } = this;
    const b = bytes[this.p];
    if (b === QUOTE) {
      if (this.string()) {
        this.decoded = encoder.encode(this.unescape());
        this.kind = VALUE_DECODED;
      } else this.kind = VALUE_STRING;
      return;
    }
    if (b === 0x7b || b === 0x5b) {
      this.nested();
      return;
    }
    const start = this.p;
    let p = start;
    while (p < this.end) {
      const c = bytes[p];
      if (c === 0x2c || c === 0x7d || isSpace(c)) break;
      p++;
    }
    this.p = p;
    this.start = start;
    this.stop = p;
    if (spells(bytes, start, p, 'null')) this.kind = VALUE_NULL;
    else if (
      spells(bytes, start, p, 'true') ||
      spells(bytes, start, p, 'false') ||
      isJsonNumber(bytes, start, p)
    ) {
      this.kind = VALUE_TOKEN;
    } else {
      const token = decoder.decode(bytes.subarray(start, Math.min(p, start + 40)));
      throw this.fail(`unexpected ${JSON.stringify(token)}`);
    }
  }

  /** An object or array value, at depth 1 under the row object. */
  private nested(): void {
    const start = this.p;
    const stop = skipNested(this.bytes, start, this.end, this.stack);
    if (typeof stop === 'number') {
      this.kind = VALUE_NESTED;
      this.start = start;
      this.stop = stop;
      this.p = stop;
      return;
    }
    if (stop.kind === 'syntax') throw this.fail(stop.why, stop.at);
    const key = this.keyText ?? decoder.decode(this.bytes.subarray(this.keyStart, this.keyEnd));
    const line = this.lineAt(stop.at);
    throw new DatasetError(
      `${this.codes}.TOO_DEEP`,
      `line ${line}: the value of key "${key}" nests deeper than ${MAX_NESTING_DEPTH} levels`,
      { details: { line, offset: stop.at, column: key, limit: MAX_NESTING_DEPTH } },
    );
  }
}
