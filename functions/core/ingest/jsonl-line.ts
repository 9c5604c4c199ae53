import { DatasetError } from '../errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** What one line's object holds, in the order keys appear; values reference the line's bytes. */
export type JsonValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'raw'; readonly start: number; readonly end: number; readonly text: boolean }
  | { readonly kind: 'decoded'; readonly bytes: Uint8Array };

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

/** Scans one flat JSON object. Positions are absolute offsets into `bytes`. */
export class JsonLineScanner {
  private p = 0;
  private end = 0;
  private line = 0;

  constructor(private readonly bytes: Uint8Array) {}

  private fail(why: string): DatasetError {
    return new DatasetError('JSONL.INVALID_JSON', `line ${this.line}: invalid JSON (${why})`, {
      details: { line: this.line },
    });
  }

  private skipSpace(): void {
    while (this.p < this.end && isSpace(this.bytes[this.p])) this.p++;
  }

  private expect(byte: number, what: string): void {
    this.skipSpace();
    if (this.bytes[this.p] !== byte || this.p >= this.end) throw this.fail(`expected ${what}`);
    this.p++;
  }

  /** A string token: raw bytes when it has no escapes, decoded bytes otherwise. */
  private string(): JsonValue & { key: string } {
    const open = this.p++;
    let escaped = false;
    while (this.p < this.end) {
      const b = this.bytes[this.p]!;
      if (b === QUOTE) break;
      if (b < 0x20) throw this.fail('control character in a string');
      if (b === BACKSLASH) {
        escaped = true;
        this.p++;
      }
      this.p++;
    }
    if (this.p >= this.end) throw this.fail('unterminated string');
    const close = this.p++;
    const raw = decoder.decode(this.bytes.subarray(open, close + 1));
    if (!escaped) return { kind: 'raw', start: open + 1, end: close, text: true, key: raw.slice(1, -1) };
    let key: string;
    try {
      key = JSON.parse(raw) as string;
    } catch (cause) {
      throw new DatasetError('JSONL.INVALID_JSON', `line ${this.line}: invalid JSON (bad string escape)`, {
        cause,
        details: { line: this.line },
      });
    }
    return { kind: 'decoded', bytes: encoder.encode(key), key };
  }

  private value(key: string): JsonValue {
    this.skipSpace();
    const b = this.bytes[this.p];
    if (b === QUOTE) return this.string();
    if (b === 0x7b || b === 0x5b) {
      throw new DatasetError(
        'JSONL.NESTED_VALUE',
        `line ${this.line}: key "${key}" holds an object or array; only flat values are supported`,
        { details: { line: this.line, key } },
      );
    }
    const start = this.p;
    while (
      this.p < this.end &&
      !isSpace(this.bytes[this.p]) &&
      this.bytes[this.p] !== 0x2c &&
      this.bytes[this.p] !== 0x7d
    ) {
      this.p++;
    }
    const token = decoder.decode(this.bytes.subarray(start, this.p));
    if (token === 'null') return { kind: 'null' };
    if (token === 'true' || token === 'false' || NUMBER.test(token)) {
      return { kind: 'raw', start, end: this.p, text: false };
    }
    throw this.fail(`unexpected ${JSON.stringify(token.slice(0, 40))}`);
  }

  /** Calls `onField` for each key in order; the caller has checked the line starts with `{`. */
  scan(start: number, end: number, line: number, onField: (key: string, value: JsonValue) => void): void {
    this.p = start;
    this.end = end;
    this.line = line;
    this.expect(0x7b, '"{"');
    this.skipSpace();
    if (this.bytes[this.p] === 0x7d) this.p++;
    else {
      for (;;) {
        this.skipSpace();
        if (this.bytes[this.p] !== QUOTE || this.p >= this.end) throw this.fail('expected a string key');
        const { key } = this.string();
        this.expect(0x3a, '":"');
        onField(key, this.value(key));
        this.skipSpace();
        const sep = this.p < this.end ? this.bytes[this.p++] : undefined;
        if (sep === 0x7d) break;
        if (sep !== 0x2c) throw this.fail('expected "," or "}"');
      }
    }
    this.skipSpace();
    if (this.p !== this.end) throw this.fail('text after the closing "}"');
  }
}
