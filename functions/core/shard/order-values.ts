import { DataType } from 'apache-arrow';
import type { FlatColumn } from '../arrow/flat-column.js';
import { decimalReader, floatReader, validAt } from '../split/column-values.js';
import { iota } from '../split/random.js';
import { orderReader } from '../split/time.js';
import { type ByteList, byteListOfRanges, itemComparator } from './byte-list.js';

/**
 * A shard's time order values, compact (§2.4 time table), 8 bytes a row or the text itself:
 * - `f64`: floats, and integers and temporal values of at most 32 bits (exact in a double);
 * - `i64`: 64-bit signed integers and temporal values, decimal32/64 unscaled;
 * - `u64`: uint64;
 * - `bytes`: utf8 bytes; decimal128/256 as fixed-width big-endian offset binary (unscaled +
 *   2^(w−1)), whose bytewise order is the numeric order.
 */
export type OrderValues =
  | { readonly kind: 'f64'; readonly values: Float64Array }
  | { readonly kind: 'i64'; readonly values: BigInt64Array }
  | { readonly kind: 'u64'; readonly values: BigUint64Array }
  | { readonly kind: 'bytes'; readonly values: ByteList };

/** What the time strategy needs from a shard: its rows sorted, or the first row it refuses. */
export interface OrderSummary {
  readonly column: string;
  readonly values: OrderValues;
  /** Shard-local rows by value ascending, ties by row (empty when `bad` is set). */
  readonly sorted: Uint32Array;
  /** The shard's first null (or NaN) order value, 0-based in the shard. */
  readonly bad?: { readonly row: number; readonly nan: boolean };
}

function fixedBytes(col: FlatColumn & { kind: 'fixed' }): Uint8Array {
  return col.bytes.slice(0, col.length * col.width);
}

function offsetBinary(col: FlatColumn, unscaled: (i: number) => bigint, bits: number): ByteList {
  const width = bits / 8;
  const data = new Uint8Array(col.length * width);
  const bias = 1n << BigInt(bits - 1);
  for (let i = 0; i < col.length; i++) {
    let v = unscaled(i) + bias;
    for (let b = width - 1; b >= 0; b--, v >>= 8n) data[i * width + b] = Number(v & 0xffn);
  }
  const ends = new Uint32Array(col.length);
  for (let i = 0; i < col.length; i++) ends[i] = (i + 1) * width;
  return { data, ends };
}

function compactValues(col: FlatColumn): OrderValues {
  const read = orderReader(col); // refuses a type time cannot order, as the one-process engine does
  const n = col.length;
  const float = floatReader(col);
  if (float) {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = float(i);
    return { kind: 'f64', values };
  }
  if (col.kind === 'binary') {
    return { kind: 'bytes', values: byteListOfRanges(col.data, col.starts, col.ends, n) };
  }
  const decimal = decimalReader(col);
  if (col.kind === 'fixed' && decimal && col.width > 8) {
    return { kind: 'bytes', values: offsetBinary(col, decimal.unscaled, col.width * 8) };
  }
  if (col.kind === 'fixed' && col.width === 8 && !decimal) {
    const signed = DataType.isInt(col.type) ? col.type.isSigned : true;
    const bytes = fixedBytes(col).buffer;
    return signed
      ? { kind: 'i64', values: new BigInt64Array(bytes) }
      : { kind: 'u64', values: new BigUint64Array(bytes) };
  }
  if (decimal) {
    return { kind: 'i64', values: BigInt64Array.from({ length: n }, (_, i) => decimal.unscaled(i)) };
  }
  // What is left is at most 32 bits wide (ints, date32, time32): exact as a double.
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Number(read(i));
  return { kind: 'f64', values };
}

function firstBad(col: FlatColumn, values: OrderValues): OrderSummary['bad'] {
  const valid = validAt(col);
  const f64 = values.kind === 'f64' ? values.values : null;
  for (let i = 0; i < col.length; i++) {
    if (!valid(i)) return { row: i, nan: false };
    if (f64 && Number.isNaN(f64[i])) return { row: i, nan: true };
  }
  return undefined;
}

/** Compares rows i and j of one shard's values: by value, then by row. */
export function rowComparator(
  all: readonly OrderValues[],
): (a: number, i: number, b: number, j: number) => number {
  const kind = all[0]?.kind;
  if (kind === 'bytes') return itemComparator(all.map((v) => v.values as ByteList));
  const arrays = all.map((v) => v.values as Float64Array | BigInt64Array | BigUint64Array);
  return (a, i, b, j) => {
    const x = arrays[a]![i]!;
    const y = arrays[b]![j]!;
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** A shard's order values, sorted rows and first refused row (TIME.* is raised when shards are combined). */
export function orderSummary(col: FlatColumn): OrderSummary {
  const values = compactValues(col);
  const bad = firstBad(col, values);
  if (bad) return { column: col.name, values, sorted: new Uint32Array(0), bad };
  const cmp = rowComparator([values]);
  const sorted = iota(col.length).sort((i, j) => cmp(0, i, 0, j) || i - j);
  return { column: col.name, values, sorted };
}
