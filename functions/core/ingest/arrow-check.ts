import { type Data, type Dictionary, type FixedSizeList, type Table, Type } from 'apache-arrow';
import { flatKind } from '../arrow/flat-column.js';
import { dictionaryIndexFault } from './arrow-dictionary.js';
import type { DecodeBudget } from './decode-budget.js';

type Offsets = Int32Array | BigInt64Array;

const LIST_LIKE = new Set<Type>([Type.List, Type.LargeList, Type.Map]);

/** The one child a list, large list, fixed-size list or map holds. */
function childOf(data: Data): Data | undefined {
  return data.children[0];
}

/**
 * Why one column chunk's buffers, or those of any child under it, can't hold what its
 * metadata claims, or undefined when they can. apache-arrow views IPC buffers in place and
 * clamps a range past the body to the body's end, so a patched length or offset reads as a
 * short buffer here, never as memory it owns; the split engine, which sizes its output from
 * offsets and lengths, must never see one. Nested data is checked top-down: a list's offsets
 * against its child's length, a fixed-size list's child against length × size, a struct's
 * children against its rows, a dictionary's indices against its dictionary's length.
 */
function chunkFault(data: Data): string | undefined {
  const end = data.offset + data.length;
  if (data.nullCount !== 0 && data.nullBitmap && data.nullBitmap.length > 0) {
    if (data.nullBitmap.length < (end + 7) >> 3) return 'its validity bitmap is shorter than its rows';
  }
  if (LIST_LIKE.has(data.typeId)) {
    const child = childOf(data);
    if (!child) return 'it lacks its child array';
    return (
      offsetsFault(data.valueOffsets as Offsets, data.offset, end, child.length, 'child array') ??
      within(chunkFault(child), 'its items')
    );
  }
  switch (data.typeId) {
    case Type.FixedSizeList: {
      const child = childOf(data);
      const size = (data.type as FixedSizeList).listSize;
      if (!child || child.length < end * size)
        return `its child array is shorter than ${end} × ${size} items`;
      return within(chunkFault(child), 'its items');
    }
    case Type.Struct:
      for (const [i, child] of data.children.entries()) {
        if (child.length < end) return `its field ${i} has ${child.length} rows, fewer than ${end}`;
        const fault = within(chunkFault(child), `its field ${i}`);
        if (fault) return fault;
      }
      return data.children.length < data.type.children.length ? 'it lacks a field' : undefined;
    case Type.Dictionary:
      return dictionaryFault(data);
  }
  return leafFault(data, end);
}

const within = (fault: string | undefined, where: string) => (fault ? `${where}: ${fault}` : undefined);

function leafFault(data: Data, end: number): string | undefined {
  switch (flatKind(data.type)) {
    case 'fixed':
      return data.values.length < end * data.stride
        ? 'its values buffer is shorter than its rows'
        : undefined;
    case 'bool':
      return data.values.length < (end + 7) >> 3 ? 'its values bitmap is shorter than its rows' : undefined;
    case 'binary':
      return offsetsFault(data.valueOffsets as Offsets, data.offset, end, data.values.length, 'data buffer');
  }
  return undefined;
}

/** Indices for every row, each non-null one within the dictionary; then the dictionary itself. */
function dictionaryFault(data: Data): string | undefined {
  const dictionary = data.dictionary;
  if (!dictionary) return 'its dictionary is missing';
  const fault = dictionaryIndexFault(data, dictionary.length);
  if (fault) return fault;
  for (const chunk of dictionary.data) {
    const inner = within(chunkFault(chunk), 'its dictionary');
    if (inner) return inner;
  }
  return undefined;
}

/** Offsets must exist for every row, start at or past 0, never decrease and end within `limit`. */
function offsetsFault(
  offsets: Offsets,
  from: number,
  to: number,
  limit: number,
  what: string,
): string | undefined {
  if (!offsets || offsets.length < to + 1) return 'its offsets buffer is shorter than its rows';
  let previous = Number(offsets[from]);
  if (previous < 0) return 'an offset is negative';
  for (let i = from + 1; i <= to; i++) {
    const next = Number(offsets[i]);
    if (next < previous) return `offset ${i} goes backwards`;
    previous = next;
  }
  return previous > limit
    ? `offset ${to} (${previous}) points past its ${limit}-${what === 'data buffer' ? 'byte' : 'item'} ${what}`
    : undefined;
}

/** The bytes one chunk's values occupy once flattened (data, offsets, bits, validity), children included. */
function chunkBytes(data: Data): number {
  const bits = (data.length + 7) >> 3;
  const validity = data.nullCount === 0 ? 0 : bits;
  const children = data.children.reduce((sum, c) => sum + chunkBytes(c), 0);
  switch (data.typeId) {
    case Type.List:
    case Type.Map:
      return (data.length + 1) * 4 + validity + children;
    case Type.LargeList:
      return (data.length + 1) * 8 + validity + children;
    case Type.FixedSizeList:
    case Type.Struct:
      return validity + children;
    case Type.Dictionary: {
      const values = (data.dictionary?.data ?? []).reduce((sum, c) => sum + chunkBytes(c), 0);
      return (data.length * (data.type as Dictionary).indices.bitWidth) / 8 + validity + values;
    }
  }
  switch (flatKind(data.type)) {
    case 'fixed':
      return data.length * data.stride * data.values.BYTES_PER_ELEMENT + validity;
    case 'bool':
      return bits + validity;
    case 'binary': {
      const o = data.valueOffsets as Offsets;
      const large = data.type.typeId === Type.LargeUtf8 || data.type.typeId === Type.LargeBinary;
      const span = Number(o[data.offset + data.length]) - Number(o[data.offset]);
      return (data.length + 1) * (large ? 8 : 4) + span + validity;
    }
  }
  return 0;
}

/**
 * Checks every column chunk the split engine reads against its buffers, nested children and
 * dictionaries included, then counts the decoded size against the budget. Returns why the
 * table is corrupt, or undefined; types the engine can't split are left for flattening to
 * refuse.
 */
export function arrowTableFault(table: Table, budget: DecodeBudget): string | undefined {
  let bytes = 0;
  for (const [b, batch] of table.batches.entries()) {
    for (const [c, field] of table.schema.fields.entries()) {
      const data = batch.data.children[c];
      if (!data) return `record batch ${b} lacks column "${field.name}"`;
      if (data.length !== batch.numRows) {
        return `column "${field.name}" of record batch ${b} has ${data.length} rows, not ${batch.numRows}`;
      }
      const fault = chunkFault(data);
      if (fault) return `column "${field.name}" of record batch ${b}: ${fault}`;
      bytes += chunkBytes(data);
    }
  }
  budget.take(bytes, 'the Arrow record batches');
  return undefined;
}
