import { type Data, type FixedSizeList, Type } from 'apache-arrow';
import { dictionaryIndexFault } from './arrow-dictionary.js';
import { offsetsFault } from './arrow-offsets.js';

type Offsets = Int32Array | BigInt64Array;
type Check<T> = (data: Data) => T;

/**
 * Why a nested, null or dictionary chunk can't hold what its metadata claims: offsets past
 * the child, children shorter than their parent, indices outside the dictionary; each child
 * checked by `check` in turn. Union and run-end encoded chunks are left for flattening to refuse.
 */
export function nestedFault(data: Data, check: Check<string | undefined>): string | undefined {
  const end = data.offset + data.length;
  let need: number[] = [];
  switch (data.typeId) {
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const child = data.children[0];
      if (!child) return 'its item child is missing';
      const fault = offsetsFault(data.valueOffsets as Offsets, data.offset, end, child.length);
      if (fault) return fault.replace('-byte data buffer', '-item child array');
      if (data.typeId === Type.Map) return mapKeysFault(data, child) ?? nestedChildFault(data, check);
      break;
    }
    case Type.FixedSizeList:
      need = [end * (data.type as FixedSizeList).listSize];
      break;
    case Type.Struct:
      if (data.children.length < data.type.children.length) return 'it lacks a field';
      need = data.type.children.map(() => end);
      break;
    case Type.Dictionary: {
      const fault = dictionaryIndexFault(data, data.dictionary?.length ?? 0);
      if (fault) return fault;
      for (const d of data.dictionary?.data ?? []) {
        const inner = check(d);
        if (inner) return `its dictionary: ${inner}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
  for (const [i, rows] of need.entries()) {
    const child = data.children[i];
    if (!child || child.length < rows) return `its child ${i} is shorter than its rows`;
  }
  return nestedChildFault(data, check);
}

function nestedChildFault(data: Data, check: Check<string | undefined>): string | undefined {
  for (const [i, child] of data.children.entries()) {
    const fault = check(child);
    if (fault) return `its child ${i}: ${fault}`;
  }
  return undefined;
}

/**
 * A null among the keys a map's rows refer to. Arrow forbids null map keys, and pyarrow
 * refuses a file holding one, so a split written from it could not be read back.
 */
function mapKeysFault(data: Data, entries: Data): string | undefined {
  const keys = entries.children[0];
  if (!keys) return 'its entries lack a key child';
  if (keys.nullCount === 0) return undefined;
  const offsets = data.valueOffsets as Int32Array;
  const stop = offsets[data.offset + data.length]!;
  for (let i = offsets[data.offset]!; i < stop; i++) {
    if (!keys.getValid(i)) return `its key ${i} is null, and Arrow map keys cannot be null`;
  }
  return undefined;
}

/**
 * The bytes a nested chunk's offsets and children take once flattened; for a dictionary, its
 * indices, and its entries the first time that dictionary is seen (`counted`).
 */
export function nestedBytes(data: Data, bytes: Check<number>, counted: WeakSet<object>): number {
  if (data.typeId === Type.Dictionary) {
    let entries = 0;
    for (const d of data.dictionary?.data ?? []) {
      if (counted.has(d)) continue;
      counted.add(d);
      entries += bytes(d);
    }
    return data.length * data.values.BYTES_PER_ELEMENT + entries;
  }
  const offsets = data.valueOffsets ? (data.length + 1) * data.valueOffsets.BYTES_PER_ELEMENT : 0;
  return offsets + data.children.reduce((sum, child) => sum + bytes(child), 0);
}
