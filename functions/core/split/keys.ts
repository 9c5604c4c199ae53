import { Type } from 'apache-arrow';
import type { FlatColumn } from '../arrow/flat-column.js';
import {
  type DecimalReader,
  decimalReader,
  floatReader,
  intReader,
  temporalUnit,
  unsupportedColumn,
  validAt,
} from './column-values.js';
import { dictionaryKeyReader } from './dictionary-keys.js';

/**
 * Canonical key of each row, as a "byte string": one char per byte (latin1), so that plain
 * string comparison is bytewise comparison and Buffer.from(key, 'latin1') gives the bytes
 * SPLIT-SPEC.md §2.2 defines (hash input, class and group order).
 */
export type KeyReader = (i: number) => string;

const TWO_53 = 9007199254740992;
/** Key tag of each integer-backed temporal type: points in time, times of day, durations. */
const TEMPORAL_TAG = new Map<Type, string>([
  [Type.Timestamp, 't'],
  [Type.Date, 't'],
  [Type.Time, 'h'],
  [Type.Duration, 'u'],
]);
const NAN_BITS = '7ff8000000000000';
/** One view for every call: a new DataView per value was most of a float key's cost. */
const FLOAT_BITS = new DataView(new ArrayBuffer(8));

function floatKey(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) <= TWO_53) return `i${x === 0 ? 0 : x}`;
  if (Number.isNaN(x)) return `f${NAN_BITS}`;
  FLOAT_BITS.setFloat64(0, x, false);
  return `f${FLOAT_BITS.getUint32(0).toString(16).padStart(8, '0')}${FLOAT_BITS.getUint32(4).toString(16).padStart(8, '0')}`;
}

/**
 * A decimal's exact value: `i` + the integer when it is one (so decimal(20, 0) ids key like
 * int64 ids), else `m` + its shortest decimal text (no trailing zeros, so the scale is not
 * part of the key).
 */
function decimalKey({ scale, unscaled }: DecimalReader): KeyReader {
  const unit = 10n ** BigInt(Math.abs(scale));
  return (i) => {
    const v = unscaled(i);
    if (scale <= 0) return `i${v * unit}`;
    const abs = v < 0n ? -v : v;
    const whole = abs / unit;
    const frac = abs % unit;
    if (frac === 0n) return `i${v < 0n ? -whole : whole}`;
    const digits = frac.toString().padStart(scale, '0').replace(/0+$/, '');
    return `m${v < 0n ? '-' : ''}${whole}.${digits}`;
  };
}

function valueKeyReader(col: FlatColumn, role: string): KeyReader {
  if (col.kind === 'bool') {
    const { bits } = col;
    return (i) => (((bits[i >> 3]! >> (i & 7)) & 1) === 1 ? 'b1' : 'b0');
  }
  if (col.kind === 'binary') {
    const { starts, ends, data } = col;
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const tag = col.type.typeId === Type.Utf8 || col.type.typeId === Type.LargeUtf8 ? 's' : 'x';
    return (i) => tag + buf.toString('latin1', starts[i]!, ends[i]!);
  }
  if (col.kind === 'fixed' && col.type.typeId === Type.FixedSizeBinary) {
    const { bytes } = col;
    const width = (col.type as unknown as { byteWidth: number }).byteWidth;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return (i) => `x${buf.toString('latin1', i * width, (i + 1) * width)}`;
  }
  const float = floatReader(col);
  if (float) return (i) => floatKey(float(i));
  const decimal = decimalReader(col);
  if (decimal) return decimalKey(decimal);
  const int = intReader(col);
  if (int && col.type.typeId === Type.Int) return (i) => `i${int(i)}`;
  const tag = int && TEMPORAL_TAG.get(col.type.typeId);
  if (int && tag) {
    const unit = temporalUnit(col.type);
    return (i) => `${tag}${int(i)}/${unit}`;
  }
  throw unsupportedColumn(role, col);
}

/** Key reader for a column used as a class, group or hash key; "n" is the key of null. */
export function keyReader(col: FlatColumn, role: string): KeyReader {
  if (col.kind === 'dictionary') return dictionaryKeyReader(col, role, keyReader);
  const value = valueKeyReader(col, role);
  const valid = validAt(col);
  return col.validity ? (i) => (valid(i) ? value(i) : 'n') : value;
}

/** Rows grouped by key: classes numbered in ascending bytewise key order. */
export interface Classes {
  readonly keys: readonly string[];
  /** Class number of each row. */
  readonly classOf: Uint32Array;
  /** Rows of each class, in source order. */
  readonly rows: readonly Uint32Array[];
}

export function classify(col: FlatColumn, role: string): Classes {
  const key = keyReader(col, role);
  const seen = new Map<string, number>();
  const firstSeen = new Uint32Array(col.length);
  for (let i = 0; i < col.length; i++) {
    const k = key(i);
    let id = seen.get(k);
    if (id === undefined) {
      id = seen.size;
      seen.set(k, id);
    }
    firstSeen[i] = id;
  }
  const keys = [...seen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = new Uint32Array(keys.length);
  keys.forEach((k, r) => {
    rank[seen.get(k)!] = r;
  });
  const classOf = firstSeen.map((id) => rank[id]!);
  return { keys, classOf, rows: rowsOfClasses(classOf, keys.length) };
}

/**
 * The rows of each class, in source order, from each row's class number (0 … count − 1):
 * shared by classify and by the sharded engine, which numbers classes across shards.
 */
export function rowsOfClasses(classOf: Uint32Array, count: number): Uint32Array[] {
  const sizes = new Uint32Array(count);
  for (const c of classOf) sizes[c]!++;
  const rows = Array.from(sizes, (s) => new Uint32Array(s));
  const fill = new Uint32Array(count);
  for (let i = 0; i < classOf.length; i++) {
    const c = classOf[i]!;
    rows[c]![fill[c]!++] = i;
  }
  return rows;
}
