import { type Data, type DataType, type Field, type FixedSizeList, Type } from 'apache-arrow';
import { flatValidity } from './bitmap.js';
import type { FixedListColumn, FlatColumn, ListColumn, NullColumn, StructColumn } from './flat-column.js';

/** flattenColumn, passed in so that children flatten by the same rules as columns. */
export type Flatten = (name: string, type: DataType, chunks: readonly Data[], length: number) => FlatColumn;

/** Child `i` of a chunk cut to rows [from, from + length), without a new object when it already is. */
function childRows(c: Data, i: number, from: number, length: number): Data {
  const child = c.children[i]!;
  return from === 0 && child.length === length ? child : child.slice(from, length);
}

/** A nested field's name in messages: the column's path, so a refusal names where it is. */
const path = (name: string, field: Field) => `${name}.${field.name}`;

/** A list column's offsets over all its chunks, and the child rows (`count` in all) they index. */
function listRows(
  chunks: readonly Data[],
  length: number,
): { offsets: Int32Array | Float64Array; pieces: Data[]; count: number } {
  const only = chunks[0];
  // One chunk with 32-bit offsets (most IPC and Parquet inputs) is used as it is: offsets
  // relative to the whole child, which is flattened whole.
  if (chunks.length === 1 && only && only.valueOffsets instanceof Int32Array) {
    const child = only.children[0]!;
    return { offsets: only.valueOffsets.subarray(0, length + 1), pieces: [child], count: child.length };
  }
  const offsets = new Float64Array(length + 1);
  const pieces: Data[] = [];
  let row = 0;
  let base = 0;
  for (const c of chunks) {
    const o = c.valueOffsets as Int32Array | BigInt64Array;
    const start = Number(o[0]);
    const end = Number(o[c.length]);
    for (let i = 0; i <= c.length; i++) offsets[row + i] = base + Number(o[i]) - start;
    pieces.push(childRows(c, 0, start, end - start));
    base += end - start;
    row += c.length;
  }
  return { offsets, pieces, count: base };
}

function flatList(
  name: string,
  type: DataType,
  chunks: readonly Data[],
  length: number,
  flatten: Flatten,
): ListColumn {
  const field = type.children[0]!;
  const validity = flatValidity(chunks, length);
  const { offsets, pieces, count } = listRows(chunks, length);
  return {
    kind: 'list',
    name,
    type,
    length,
    validity,
    offsets,
    child: flatten(path(name, field), field.type, pieces, count),
  };
}

function flatFixedList(
  name: string,
  type: DataType,
  chunks: readonly Data[],
  length: number,
  flatten: Flatten,
): FixedListColumn {
  const field = type.children[0]!;
  const size = (type as FixedSizeList).listSize;
  // apache-arrow slices a fixed-size list's child along with it: child row i * size is value i.
  const pieces = chunks.map((c) => childRows(c, 0, 0, c.length * size));
  const child = flatten(path(name, field), field.type, pieces, length * size);
  return { kind: 'fixed-list', name, type, length, validity: flatValidity(chunks, length), size, child };
}

function flatStruct(
  name: string,
  type: DataType,
  chunks: readonly Data[],
  length: number,
  flatten: Flatten,
): StructColumn {
  const children = type.children.map((field, i) =>
    flatten(
      path(name, field),
      field.type,
      chunks.map((c) => childRows(c, i, 0, c.length)),
      length,
    ),
  );
  return { kind: 'struct', name, type, length, validity: flatValidity(chunks, length), children };
}

/** List, large list, map, fixed-size list, struct and null columns, children flattened by `flatten`. */
export function flatNested(
  name: string,
  type: DataType,
  chunks: readonly Data[],
  length: number,
  flatten: Flatten,
): ListColumn | FixedListColumn | StructColumn | NullColumn {
  switch (type.typeId) {
    case Type.FixedSizeList:
      return flatFixedList(name, type, chunks, length, flatten);
    case Type.Struct:
      return flatStruct(name, type, chunks, length, flatten);
    case Type.Null:
      return { kind: 'null', name, type, length, validity: new Uint8Array((length + 7) >> 3) };
    default:
      return flatList(name, type, chunks, length, flatten);
  }
}
