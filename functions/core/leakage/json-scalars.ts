import { type DataType, Float64, Precision, Type } from 'apache-arrow';
import type { BinaryColumn, BoolColumn, FixedColumn } from '../arrow/flat-column.js';
import { exactDecimal, scaledInteger } from './json-number.js';
import {
  type Item,
  isNumberText,
  isObject,
  type JsonValue,
  kindOf,
  mismatch,
  numberText,
} from './json-row.js';
import { temporalFromText } from './json-temporal.js';

/**
 * Scalar columns built from JSON values (docs/SPLIT-SPEC.md §8.6), laid out as the split files
 * lay them out, so that row identity reads them with the very code it reads split files with.
 * A null item gets a zero slot and a clear validity bit.
 */

const utf8 = new TextEncoder();

/** Validity bits for `items` (1 = valid), or null when none is null. */
export function validityOf(items: readonly Item[]): Uint8Array | null {
  if (items.every((item) => item.value !== null)) return null;
  const bits = new Uint8Array((items.length + 7) >> 3);
  items.forEach((item, i) => {
    if (item.value !== null) bits[i >> 3]! |= 1 << (i & 7);
  });
  return bits;
}

/** An integer from number text (or a string holding one), within [min, max]. */
function integer(item: Item, type: DataType, min: bigint, max: bigint, what = 'an integer'): bigint {
  const text = numberText(item.value);
  const exact = text === undefined ? undefined : exactDecimal(text);
  const v = exact && scaledInteger(exact, 0);
  if (v === undefined) throw mismatch(item.path, type, `expected ${what}, got ${describe(item.value)}`);
  if (v < min || v > max) throw mismatch(item.path, type, `${v} is outside [${min}, ${max}]`);
  return v;
}

/** A value as a message shows it: strings and numbers as written (cut at 40 characters). */
function describe(v: JsonValue): string {
  const text = typeof v === 'string' || typeof v === 'number' || isNumberText(v) ? numberText(v) : undefined;
  if (text === undefined) return kindOf(v);
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return typeof v === 'string' ? `"${cut}"` : cut;
}

const range = (bits: number, signed: boolean): [bigint, bigint] =>
  signed ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n] : [0n, (1n << BigInt(bits)) - 1n];

/** Writes a signed or unsigned integer of `bytes` bytes, little-endian. */
function writeInt(view: DataView, at: number, bytes: number, v: bigint): void {
  if (bytes === 8) view.setBigUint64(at, BigInt.asUintN(64, v), true);
  else if (bytes === 4) view.setUint32(at, Number(BigInt.asUintN(32, v)), true);
  else if (bytes === 2) view.setUint16(at, Number(BigInt.asUintN(16, v)), true);
  else view.setUint8(at, Number(BigInt.asUintN(8, v)));
}

/** Date, time, timestamp or duration: the stored integer, or ISO-8601 text for all but durations. */
function temporal(item: Item, type: DataType, bytes: number): bigint {
  const [min, max] = range(bytes * 8, true);
  const text = typeof item.value === 'string' ? item.value : undefined;
  if (text === undefined || type.typeId === Type.Duration || exactDecimal(text)) {
    return integer(item, type, min, max);
  }
  const parsed = temporalFromText(type, text);
  if (!parsed.ok) throw mismatch(item.path, type, parsed.reason);
  if (parsed.stored < min || parsed.stored > max) {
    throw mismatch(item.path, type, `"${text}" is outside the column's range`);
  }
  return parsed.stored;
}

const SPECIAL_FLOATS = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);

/** A float as a double: a number, or "NaN", "Infinity", "-Infinity"; rounded to the type (ties to even). */
function float(item: Item, type: DataType): number {
  const text = numberText(item.value);
  const special = text === undefined ? undefined : SPECIAL_FLOATS.get(text);
  if (text === undefined || (special === undefined && !exactDecimal(text))) {
    throw mismatch(
      item.path,
      type,
      `expected a number, "NaN", "Infinity" or "-Infinity", got ${describe(item.value)}`,
    );
  }
  const x = special ?? Number(text);
  const { precision } = type as unknown as { precision: Precision };
  if (precision === Precision.SINGLE) return Math.fround(x);
  return precision === Precision.HALF ? roundToHalf(x) : x;
}

/** The binary16 value nearest to x, ties to even (as IEEE 754 rounds), as a double. */
export function roundToHalf(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Number.POSITIVE_INFINITY;
  let e = Math.max(Math.floor(Math.log2(a)), -14);
  while (e > -14 && 2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (e - 10);
  const q = a / ulp; // exact: a scaled by a power of two
  let r = Math.floor(q);
  const rest = q - r;
  if (rest > 0.5 || (rest === 0.5 && r % 2 === 1)) r += 1;
  return Math.sign(x) * r * ulp;
}

/** A decimal's unscaled integer: exact text with at most `scale` fraction digits, within its precision. */
function decimal(item: Item, type: DataType): bigint {
  const { scale, precision } = type as unknown as { scale: number; precision: number };
  const text = numberText(item.value);
  const exact = text === undefined ? undefined : exactDecimal(text);
  if (!exact) throw mismatch(item.path, type, `expected a decimal number, got ${describe(item.value)}`);
  const unscaled = scaledInteger(exact, scale);
  if (unscaled === undefined)
    throw mismatch(item.path, type, `${text} has more digits than scale ${scale} keeps`);
  const limit = 10n ** BigInt(precision);
  if (unscaled >= limit || unscaled <= -limit) {
    throw mismatch(item.path, type, `${text} has more digits than precision ${precision} holds`);
  }
  return unscaled;
}

const INTERVAL_PARTS: readonly (readonly [string, number][])[] = [
  [['months', 32]],
  [
    ['days', 32],
    ['milliseconds', 32],
  ],
  [
    ['months', 32],
    ['days', 32],
    ['nanoseconds', 64],
  ],
];

/** An interval as an object of its named components (year-month, day-time, month-day-nano). */
function interval(item: Item, type: DataType, view: DataView, at: number): void {
  const parts = INTERVAL_PARTS[(type as unknown as { unit: number }).unit]!;
  const names = parts.map(([name]) => name);
  const v = item.value;
  if (!isObject(v) || Object.keys(v).sort().join() !== [...names].sort().join()) {
    throw mismatch(item.path, type, `expected an object {${names.join(', ')}}, got ${describe(v)}`);
  }
  for (const [name, bits] of parts) {
    const [min, max] = range(bits, true);
    writeInt(view, at, bits / 8, integer({ value: v[name]!, path: `${item.path}.${name}` }, type, min, max));
    at += bits / 8;
  }
}

/** Binary values are base64 (RFC 4648 §4, padded); anything that does not round-trip is refused. */
export function base64Bytes(item: Item, type: DataType): Uint8Array {
  const v = item.value;
  const bytes = typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
  if (!bytes || bytes.toString('base64') !== v) {
    throw mismatch(item.path, type, `expected base64 text (RFC 4648, padded), got ${describe(v)}`);
  }
  return bytes;
}

/** Bytes per value of a fixed-width type as these columns lay it out. */
function widthOf(type: DataType): number {
  const t = type as unknown as { bitWidth?: number; byteWidth?: number; unit: number };
  switch (type.typeId) {
    case Type.Float:
      return 8; // every float is held as the double of its value, which keys alike (§2.3)
    case Type.FixedSizeBinary:
      return t.byteWidth!;
    case Type.Interval:
      return [4, 8, 16][t.unit]!;
    case Type.Date:
      return t.unit === 0 ? 4 : 8;
    case Type.Timestamp:
    case Type.Duration:
      return 8;
    default:
      return t.bitWidth! / 8;
  }
}

/** A fixed-width column (integers, floats, decimals, temporals, intervals, fixed-size binary). */
export function fixedColumn(name: string, type: DataType, items: readonly Item[]): FixedColumn {
  const width = widthOf(type);
  const bytes = new Uint8Array(new ArrayBuffer(items.length * width));
  const view = new DataView(bytes.buffer);
  items.forEach((item, i) => {
    if (item.value === null) return;
    const at = i * width;
    if (type.typeId === Type.Int) {
      const { isSigned, bitWidth } = type as unknown as { isSigned: boolean; bitWidth: number };
      writeInt(view, at, width, integer(item, type, ...range(bitWidth, isSigned)));
    } else if (type.typeId === Type.Float) view.setFloat64(at, float(item, type), true);
    else if (type.typeId === Type.Decimal) {
      const v = BigInt.asUintN(256, decimal(item, type));
      for (let w = 0; w < 4; w++)
        view.setBigUint64(at + w * 8, BigInt.asUintN(64, v >> BigInt(64 * w)), true);
    } else if (type.typeId === Type.Interval) interval(item, type, view, at);
    else if (type.typeId === Type.FixedSizeBinary) {
      const value = base64Bytes(item, type);
      if (value.length !== width)
        throw mismatch(item.path, type, `expected ${width} bytes, got ${value.length}`);
      bytes.set(value, at);
    } else writeInt(view, at, width, temporal(item, type, width));
  });
  // Floats are laid out as doubles: the column says so, so that they are read as doubles.
  const laidOut = type.typeId === Type.Float ? new Float64() : type;
  return {
    kind: 'fixed',
    name,
    type: laidOut,
    length: items.length,
    width,
    bytes,
    validity: validityOf(items),
  };
}

export function boolColumn(name: string, type: DataType, items: readonly Item[]): BoolColumn {
  const bits = new Uint8Array((items.length + 7) >> 3);
  items.forEach((item, i) => {
    if (item.value === null) return;
    if (typeof item.value !== 'boolean')
      throw mismatch(item.path, type, `expected true or false, got ${describe(item.value)}`);
    if (item.value) bits[i >> 3]! |= 1 << (i & 7);
  });
  return { kind: 'bool', name, type, length: items.length, bits, validity: validityOf(items) };
}

/** Utf8 (a JSON string, encoded as UTF-8) and binary (base64) columns. */
export function binaryColumn(name: string, type: DataType, items: readonly Item[]): BinaryColumn {
  const text = type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8;
  const values = items.map((item) => {
    if (item.value === null) return new Uint8Array(0);
    if (!text) return base64Bytes(item, type);
    if (typeof item.value !== 'string')
      throw mismatch(item.path, type, `expected a string, got ${describe(item.value)}`);
    // A lone surrogate becomes U+FFFD, as JSON Lines ingest stores it (§1.4.2).
    return utf8.encode(item.value);
  });
  const offsets = new Int32Array(items.length + 1);
  values.forEach((v, i) => {
    offsets[i + 1] = offsets[i]! + v.length;
  });
  const data = new Uint8Array(offsets[items.length]!);
  values.forEach((v, i) => {
    data.set(v, offsets[i]!);
  });
  return {
    kind: 'binary',
    name,
    type,
    length: items.length,
    starts: offsets.subarray(0, items.length),
    ends: offsets.subarray(1),
    data,
    validity: validityOf(items),
  };
}
