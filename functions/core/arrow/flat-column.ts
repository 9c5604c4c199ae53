import { type Data, type DataType, type Table, Type } from 'apache-arrow';
import { concatBytes } from '../concat-bytes.js';
import { DatasetError } from '../errors.js';

/**
 * One column of a table as contiguous buffers starting at row 0, whatever its chunking: the
 * form that row-by-index gathers (take) and key extraction read.
 */
export type FlatColumn = FixedColumn | BoolColumn | BinaryColumn;

interface Common {
  readonly name: string;
  readonly type: DataType;
  readonly length: number;
  /** Validity bits (1 = valid) from bit 0, or null when the column has no nulls. */
  readonly validity: Uint8Array | null;
}
export interface FixedColumn extends Common {
  readonly kind: 'fixed';
  /** Bytes per value. */
  readonly width: number;
  /** length * width bytes, 8-byte aligned so wider views are possible. */
  readonly bytes: Uint8Array;
}
export interface BoolColumn extends Common {
  readonly kind: 'bool';
  readonly bits: Uint8Array;
}
export interface BinaryColumn extends Common {
  readonly kind: 'binary';
  /**
   * Value i is data[starts[i], ends[i]). From Arrow offsets, `ends` is the same array shifted by
   * one; CSV and JSON Lines text can instead point at the cells in the source bytes, uncopied.
   */
  readonly starts: Int32Array | Uint32Array | Float64Array;
  readonly ends: Int32Array | Uint32Array | Float64Array;
  readonly data: Uint8Array;
}

const FIXED = new Set<Type>([
  Type.Int,
  Type.Float,
  Type.Decimal,
  Type.Date,
  Type.Time,
  Type.Timestamp,
  Type.Interval,
  Type.Duration,
  Type.FixedSizeBinary,
]);
const BINARY = new Set<Type>([Type.Utf8, Type.Binary, Type.LargeUtf8, Type.LargeBinary]);

/** Which flat layout a type takes, or undefined for types split-v1 cannot split (nested, dictionary, view). */
export function flatKind(type: DataType): FlatColumn['kind'] | undefined {
  if (FIXED.has(type.typeId)) return 'fixed';
  if (type.typeId === Type.Bool) return 'bool';
  if (BINARY.has(type.typeId)) return 'binary';
  return undefined;
}

/** True when bit i of a packed little-endian bitmap is set. */
export function bit(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

function copyBits(out: Uint8Array, at: number, src: Uint8Array, from: number, count: number): void {
  for (let i = 0; i < count; i++) {
    if (bit(src, from + i)) out[(at + i) >> 3]! |= 1 << ((at + i) & 7);
  }
}

function flatValidity(chunks: readonly Data[], length: number): Uint8Array | null {
  if (chunks.every((c) => c.nullCount === 0)) return null;
  const out = new Uint8Array((length + 7) >> 3);
  let at = 0;
  for (const c of chunks) {
    if (c.nullCount === 0 || !c.nullBitmap || c.nullBitmap.length === 0) {
      for (let i = at; i < at + c.length; i++) out[i >> 3]! |= 1 << (i & 7);
    } else {
      copyBits(out, at, c.nullBitmap, c.offset, c.length);
    }
    at += c.length;
  }
  return out;
}

function flatFixed(name: string, type: DataType, chunks: readonly Data[], length: number): FixedColumn {
  const first = chunks[0];
  const width = first ? first.values.BYTES_PER_ELEMENT * first.stride : 0;
  const validity = flatValidity(chunks, length);
  const only = first?.values as ArrayBufferView | undefined;
  // One aligned chunk (what CSV and JSON Lines ingest build) is already flat: a view saves a copy.
  if (chunks.length === 1 && only && only.byteOffset % 8 === 0) {
    const view = new Uint8Array(only.buffer, only.byteOffset, length * width);
    return { kind: 'fixed', name, type, length, width, bytes: view, validity };
  }
  const bytes = new Uint8Array(new ArrayBuffer(length * width));
  let at = 0;
  for (const c of chunks) {
    const v = c.values as ArrayBufferView;
    bytes.set(new Uint8Array(v.buffer, v.byteOffset, c.length * width), at);
    at += c.length * width;
  }
  return { kind: 'fixed', name, type, length, width, bytes, validity };
}

function flatBool(name: string, type: DataType, chunks: readonly Data[], length: number): BoolColumn {
  const bits = new Uint8Array((length + 7) >> 3);
  let at = 0;
  for (const c of chunks) {
    copyBits(bits, at, c.values as Uint8Array, c.offset, c.length);
    at += c.length;
  }
  return { kind: 'bool', name, type, length, bits, validity: flatValidity(chunks, length) };
}

/** Arrow offsets serve as both ends of each value: `ends` is the same array one place on. */
function fromOffsets(
  name: string,
  type: DataType,
  length: number,
  offsets: Int32Array | Float64Array,
  data: Uint8Array,
  validity: Uint8Array | null,
): BinaryColumn {
  const starts = offsets.subarray(0, length);
  return { kind: 'binary', name, type, length, starts, ends: offsets.subarray(1), data, validity };
}

function flatBinary(name: string, type: DataType, chunks: readonly Data[], length: number): BinaryColumn {
  const validity = flatValidity(chunks, length);
  const only = chunks[0];
  if (chunks.length === 1 && only && only.valueOffsets instanceof Int32Array) {
    return fromOffsets(name, type, length, only.valueOffsets, only.values, validity);
  }
  const offsets = new Float64Array(length + 1);
  const parts: Uint8Array[] = [];
  let row = 0;
  let base = 0;
  for (const c of chunks) {
    const o = c.valueOffsets as Int32Array | BigInt64Array;
    const start = Number(o[0]);
    for (let i = 0; i <= c.length; i++) offsets[row + i] = base + Number(o[i]) - start;
    const end = Number(o[c.length]);
    parts.push((c.values as Uint8Array).subarray(start, end));
    base += end - start;
    row += c.length;
  }
  return fromOffsets(name, type, length, offsets, concatBytes(parts), validity);
}

/** Flattens every column of the table; unsupported (nested, dictionary, view) types are refused. */
export function flattenTable(table: Table): FlatColumn[] {
  return table.schema.fields.map((field, i) =>
    flattenColumn(field.name, field.type, table.getChildAt(i)?.data ?? [], table.numRows),
  );
}

/** One column's chunks as a FlatColumn; unsupported (nested, dictionary, view) types are refused. */
export function flattenColumn(
  name: string,
  type: DataType,
  chunks: readonly Data[],
  length: number,
): FlatColumn {
  switch (flatKind(type)) {
    case 'fixed':
      return flatFixed(name, type, chunks, length);
    case 'bool':
      return flatBool(name, type, chunks, length);
    case 'binary':
      return flatBinary(name, type, chunks, length);
  }
  throw new DatasetError(
    'DATASET.UNSUPPORTED_TYPE',
    `column "${name}" has type ${type}, which split-v1 cannot split (supported: integers, floats, decimals, dates, times, timestamps, durations, intervals, fixed-size binary, bool, utf8, binary)`,
    { details: { column: name, type: String(type) } },
  );
}
