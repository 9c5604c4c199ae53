import { Bool, type Data, type DataType, type Float64, Int64, makeData, Utf8 } from 'apache-arrow';
import { canonicalJson } from '../canonical-json.js';
import { TooLargeError } from '../errors.js';
import { ByteSink } from './byte-sink.js';
import { stringBytes, valueEnd } from './json-value.js';
import { parseDecimal } from './number-grammar.js';
import { wellFormedText } from './well-formed.js';

/** Most values (list child slots, Utf8 bytes) one List or Utf8 array reaches with int32 offsets. */
export const MAX_INT32_OFFSET = 2 ** 31 - 1;
/**
 * Largest source text of one value written as canonical JSON: it is parsed into a JS value
 * first, and V8 strings stop near 2^29 characters.
 */
export const MAX_FALLBACK_VALUE_BYTES = 2 ** 28;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function tooLarge(column: string, what: string, size: number, limit: number): TooLargeError {
  return new TooLargeError(
    'DATASET.COLUMN_TOO_LARGE',
    `column "${column}" holds ${size} ${what}; the limit is ${limit}`,
    { details: { column, size, limit } },
  );
}

/** Arrow's validity bitmap, padded to 8 bytes; undefined when nothing is null. */
export class Validity {
  private readonly bits: Uint8Array;
  nulls = 0;

  constructor(size: number) {
    this.bits = new Uint8Array(((size + 63) >> 6) << 3);
  }

  set(i: number, valid: boolean): void {
    if (valid) this.bits[i >> 3]! |= 1 << (i & 7);
    else this.nulls++;
  }

  get bitmap(): Uint8Array | undefined {
    return this.nulls === 0 ? undefined : this.bits;
  }
}

/**
 * A builder's finished column: its type and slot count, the nulls `validity` counted, and the
 * buffers of its kind (`data`, `valueOffsets`, `child` or `children`).
 */
export function finishData(type: DataType, length: number, validity: Validity, buffers: object): Data {
  const { nulls, bitmap } = validity;
  return makeData({
    type,
    length,
    nullCount: nulls,
    nullBitmap: bitmap,
    ...buffers,
  } as Parameters<typeof makeData>[0]) as Data;
}

/** Appends one slot per call: a value (the JSON text at `at`) or a null. */
export interface Builder {
  readonly type: DataType;
  value(at: number): void;
  /** A string's decoded content, for a top-level JSON string cell (not JSON text). */
  text(content: Uint8Array): void;
  nul(): void;
  finish(): Data;
}

/** Everything a builder reads: the source, the column (for messages) and the slot count. */
export interface Source {
  readonly bytes: Uint8Array;
  readonly column: string;
}

export class ScalarBuilder implements Builder {
  private readonly validity: Validity;
  private readonly values: Float64Array | BigInt64Array | Uint8Array;
  private readonly words: Int32Array | undefined;
  private i = 0;

  constructor(
    readonly type: Bool | Int64 | Float64,
    private readonly src: Source,
    private readonly size: number,
  ) {
    this.validity = new Validity(size);
    if (type instanceof Bool) this.values = new Uint8Array(((size + 63) >> 6) << 3);
    else if (type instanceof Int64) this.values = new BigInt64Array(size);
    else this.values = new Float64Array(size);
    this.words = type instanceof Int64 ? new Int32Array(this.values.buffer) : undefined;
  }

  value(at: number): void {
    const { bytes } = this.src;
    const i = this.i++;
    this.validity.set(i, true);
    if (this.type instanceof Bool) {
      if (bytes[at] === 0x74) (this.values as Uint8Array)[i >> 3]! |= 1 << (i & 7);
      return;
    }
    // Inference admitted only int64 values of at most 2^53 and finite float64 values.
    this.put(i, parseDecimal(bytes, at, valueEnd(bytes, at), false));
  }

  /** Whether `number` may be used: an Int64 or Float64 position. */
  get numeric(): boolean {
    return !(this.type instanceof Bool);
  }

  /** A number already parsed (correctly rounded, as JSON.parse gives it); null for a null slot. */
  number(v: number | null): void {
    if (v === null) {
      this.nul();
      return;
    }
    const i = this.i++;
    this.validity.set(i, true);
    this.put(i, v);
  }

  private put(i: number, v: number): void {
    if (this.words) {
      const high = Math.floor(v / 2 ** 32);
      this.words[2 * i] = (v - high * 2 ** 32) | 0;
      this.words[2 * i + 1] = high;
    } else (this.values as Float64Array)[i] = v;
  }

  text(): void {
    throw new Error('unreachable: a string cell under a scalar type');
  }

  nul(): void {
    this.validity.set(this.i++, false);
  }

  finish(): Data {
    return finishData(this.type, this.size, this.validity, { data: this.values });
  }
}

/** Utf8 for strings, for the canonical JSON fallback, and for positions that only saw nulls. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** A parsed value with every lone surrogate, in keys and strings, replaced by U+FFFD. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return wellFormedText(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormed(v)]));
  }
  return value;
}

/**
 * JSON text to a JS value RFC 8785 can write: a lone surrogate (only an escape can make one,
 * the source being valid UTF-8) becomes U+FFFD, as it does in every Utf8 value ingest writes.
 */
function parseWellFormed(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return SURROGATE_ESCAPE.test(text) ? wellFormed(value) : value;
}

export class TextBuilder implements Builder {
  readonly type = new Utf8();
  private readonly validity: Validity;
  private readonly offsets: Int32Array;
  private readonly data = new ByteSink(1024);
  private i = 0;

  constructor(
    private readonly src: Source,
    private readonly size: number,
    private readonly canonical: boolean,
  ) {
    this.validity = new Validity(size);
    this.offsets = new Int32Array(size + 1);
  }

  private push(content: Uint8Array): void {
    if (this.data.length + content.length > MAX_INT32_OFFSET) {
      throw tooLarge(this.src.column, 'bytes of text', this.data.length + content.length, MAX_INT32_OFFSET);
    }
    this.data.append(content, 0, content.length);
    this.validity.set(this.i, true);
    this.offsets[++this.i] = this.data.length;
  }

  value(at: number): void {
    const { bytes } = this.src;
    if (!this.canonical) {
      this.push(stringBytes(bytes, at));
      return;
    }
    const end = valueEnd(bytes, at);
    if (end - at > MAX_FALLBACK_VALUE_BYTES) {
      throw tooLarge(
        this.src.column,
        'bytes in one value written as JSON text',
        end - at,
        MAX_FALLBACK_VALUE_BYTES,
      );
    }
    this.push(encoder.encode(canonicalJson(parseWellFormed(decoder.decode(bytes.subarray(at, end))))));
  }

  text(content: Uint8Array): void {
    this.push(this.canonical ? encoder.encode(canonicalJson(decoder.decode(content))) : content);
  }

  nul(): void {
    this.validity.set(this.i, false);
    this.offsets[this.i + 1] = this.offsets[this.i]!;
    this.i++;
  }

  finish(): Data {
    return finishData(this.type, this.size, this.validity, {
      valueOffsets: this.offsets,
      data: this.data.bytes.subarray(0, this.data.length),
    });
  }
}
