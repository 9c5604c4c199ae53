import { type Data, type DataType, type Table, Type } from 'apache-arrow';
import { concatBytes } from '../concat-bytes.js';
import { DatasetError } from '../errors.js';
import { copyBits, flatValidity } from './bitmap.js';
import { flatDictionary } from './flat-dictionary.js';
import { flatNested } from './flat-nested.js';

export { bit } from './bitmap.js';

/**
 * One column of a table as contiguous buffers starting at row 0, whatever its chunking: the
 * form that row-by-index gathers (take) and key extraction read.
 */
export type FlatColumn =
  | FixedColumn
  | BoolColumn
  | BinaryColumn
  | ListColumn
  | FixedListColumn
  | StructColumn
  | NullColumn
  | DictionaryColumn;

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

/** List, LargeList and Map: value i is rows [offsets[i], offsets[i + 1]) of `child`. */
export interface ListColumn extends Common {
  readonly kind: 'list';
  readonly offsets: Int32Array | Float64Array;
  readonly child: FlatColumn;
}
/** FixedSizeList: value i is rows [i * size, (i + 1) * size) of `child`. */
export interface FixedListColumn extends Common {
  readonly kind: 'fixed-list';
  readonly size: number;
  readonly child: FlatColumn;
}
/** Struct: row i of every child, in field order. */
export interface StructColumn extends Common {
  readonly kind: 'struct';
  readonly children: readonly FlatColumn[];
}
/** Null type: no buffers; every row is null (validity all zeros). */
export interface NullColumn extends Common {
  readonly kind: 'null';
}
/**
 * A dictionary-encoded column: `indices` (the index type, with this column's validity) point
 * into the split files' dictionary, which is rows `entries` of `values` (SPLIT-SPEC.md §6.4).
 */
export interface DictionaryColumn extends Common {
  readonly kind: 'dictionary';
  /** The dictionary id the schema names. */
  readonly id: number;
  readonly indices: FixedColumn;
  readonly values: FixedColumn | BoolColumn | BinaryColumn;
  readonly entries: Uint32Array;
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

/** Which flat layout a type takes, or undefined for the others (nested, dictionary, null, union, view). */
export function flatKind(type: DataType): 'fixed' | 'bool' | 'binary' | undefined {
  if (FIXED.has(type.typeId)) return 'fixed';
  if (type.typeId === Type.Bool) return 'bool';
  if (BINARY.has(type.typeId)) return 'binary';
  return undefined;
}

const NESTED: Partial<Record<Type, FlatColumn['kind']>> = {
  [Type.List]: 'list',
  [Type.LargeList]: 'list',
  [Type.Map]: 'list',
  [Type.FixedSizeList]: 'fixed-list',
  [Type.Struct]: 'struct',
  [Type.Null]: 'null',
  [Type.Dictionary]: 'dictionary',
};

/** Which layout a type takes, or undefined for types split-v1 cannot split (union, run-end encoded, view). */
export function columnKind(type: DataType): FlatColumn['kind'] | undefined {
  return flatKind(type) ?? NESTED[type.typeId];
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
    // A chunk with no rows adds nothing, and writers may give it no offsets at all (pyarrow
    // does for an empty dictionary).
    if (c.length === 0) continue;
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

/** Flattens every column of the table; unsupported (union, run-end encoded, view) types are refused. */
export function flattenTable(table: Table): FlatColumn[] {
  return table.schema.fields.map((field, i) =>
    flattenColumn(field.name, field.type, table.getChildAt(i)?.data ?? [], table.numRows),
  );
}

/**
 * One column's chunks as a FlatColumn; unsupported (union, run-end encoded, view) types are
 * refused. Nested types flatten their children the same way, recursively.
 */
export function flattenColumn(
  name: string,
  type: DataType,
  chunks: readonly Data[],
  length: number,
): FlatColumn {
  switch (columnKind(type)) {
    case 'fixed':
      return flatFixed(name, type, chunks, length);
    case 'bool':
      return flatBool(name, type, chunks, length);
    case 'binary':
      return flatBinary(name, type, chunks, length);
    case 'list':
    case 'fixed-list':
    case 'struct':
    case 'null':
      return flatNested(name, type, chunks, length, flattenColumn);
    case 'dictionary':
      return flatDictionary(name, type, chunks, length, flattenColumn, () => unsupportedType(name, type));
  }
  throw unsupportedType(name, type);
}

/** DATASET.UNSUPPORTED_TYPE for a column (or a nested field of one) split-v1 cannot carry. */
export function unsupportedType(name: string, type: DataType): DatasetError {
  return new DatasetError(
    'DATASET.UNSUPPORTED_TYPE',
    `column "${name}" has type ${type}, which split-v1 cannot split (supported: integers, floats, decimals, dates, times, timestamps, durations, intervals, fixed-size binary, bool, utf8, binary, null, list, large list, fixed-size list, struct, map, dictionary)`,
    { details: { column: name, type: String(type) } },
  );
}
