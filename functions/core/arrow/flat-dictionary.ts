import type { Data, DataType, Dictionary, Int, Vector } from 'apache-arrow';
import { DatasetError } from '../errors.js';
import { bit } from './bitmap.js';
import type { DictionaryColumn, FixedColumn } from './flat-column.js';
import type { Flatten } from './flat-nested.js';

type ValuesColumn = DictionaryColumn['values'];

/** Entry j of a dictionary as a byte string ('n' for null): what "the same value" means when unifying. */
function entryBytes(col: ValuesColumn): (j: number) => string {
  const valid = col.validity;
  const isNull = valid ? (j: number) => !bit(valid, j) : () => false;
  if (col.kind === 'bool') return (j) => (isNull(j) ? 'n' : bit(col.bits, j) ? 'v1' : 'v0');
  if (col.kind === 'fixed') {
    const buf = Buffer.from(col.bytes.buffer, col.bytes.byteOffset, col.bytes.byteLength);
    return (j) => (isNull(j) ? 'n' : `v${buf.toString('latin1', j * col.width, (j + 1) * col.width)}`);
  }
  const buf = Buffer.from(col.data.buffer, col.data.byteOffset, col.data.byteLength);
  return (j) => (isNull(j) ? 'n' : `v${buf.toString('latin1', col.starts[j]!, col.ends[j]!)}`);
}

/** The largest index the index type can hold. */
function maxIndex(type: Int): number {
  return type.isSigned ? 2 ** (type.bitWidth - 1) - 1 : 2 ** type.bitWidth - 1;
}

const iota = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

/**
 * One dictionary for several: the first as it is, then each later one's values not in it yet,
 * in order (SPLIT-SPEC.md §6.4). `remaps[k][j]` is where entry j of dictionary k ends up; a
 * dictionary equal entry for entry to an earlier one is that one, and keeps its mapping.
 */
export function unify(
  all: ValuesColumn,
  sizes: readonly number[],
): { entries: Uint32Array; remaps: Uint32Array[] } {
  const key = entryBytes(all);
  const entries: number[] = [];
  const position = new Map<string, number>();
  const known = new Map<string, Uint32Array>();
  const remaps: Uint32Array[] = [];
  let at = 0;
  for (const size of sizes) {
    const keys = Array.from({ length: size }, (_, j) => key(at + j));
    const signature = JSON.stringify(keys);
    const earlier = known.get(signature);
    const remap = earlier ?? new Uint32Array(size);
    for (let j = 0; !earlier && j < size; j++) {
      const first = position.get(keys[j]!);
      if (remaps.length > 0 && first !== undefined) {
        remap[j] = first;
        continue;
      }
      remap[j] = entries.length;
      if (first === undefined) position.set(keys[j]!, entries.length);
      entries.push(at + j);
    }
    known.set(signature, remap);
    remaps.push(remap);
    at += size;
  }
  return { entries: Uint32Array.from(entries), remaps };
}

/**
 * `unify`, refusing a unified dictionary the column's index type can't address
 * (DATASET.DICTIONARY_OVERFLOW).
 */
export function unifyDictionaries(
  name: string,
  dict: Dictionary,
  values: ValuesColumn,
  sizes: readonly number[],
): { entries: Uint32Array; remaps: Uint32Array[] } {
  const unified = unify(values, sizes);
  if (unified.entries.length - 1 > maxIndex(dict.indices)) {
    throw new DatasetError(
      'DATASET.DICTIONARY_OVERFLOW',
      `column "${name}" has ${unified.entries.length} distinct dictionary values across its chunks, more than its ${dict.indices} indices can address`,
      { details: { column: name, type: String(dict), values: unified.entries.length } },
    );
  }
  return unified;
}

/** Rewrites the valid indices of rows [from, from + count) through `remap`; nulls keep theirs. */
export function remapRows(indices: FixedColumn, from: number, count: number, remap: Uint32Array): void {
  const IndexArray = (indices.type as Int).ArrayType as unknown as new (
    b: ArrayBuffer,
    o: number,
    n: number,
  ) => {
    [i: number]: number | bigint;
  };
  const values = new IndexArray(
    indices.bytes.buffer as ArrayBuffer,
    indices.bytes.byteOffset,
    indices.length,
  );
  const big = indices.width === 8;
  for (let i = from; i < from + count; i++) {
    if (indices.validity && !bit(indices.validity, i)) continue;
    const to = remap[Number(values[i])]!;
    values[i] = big ? BigInt(to) : to;
  }
}

/** A private copy of the indices, so that remapping never writes into the source. */
export function ownIndices(indices: FixedColumn): FixedColumn {
  return { ...indices, bytes: indices.bytes.slice() };
}

/**
 * The dictionaries of `chunks` (chunk i has dictionary `which[i]`, of `sizes[which[i]]`
 * entries in `values`) as one, with each chunk's indices remapped into it; the source indices
 * are copied before the first write, never written into.
 */
function unifyChunks(
  name: string,
  dict: Dictionary,
  chunks: readonly Data[],
  which: readonly number[],
  values: ValuesColumn,
  sizes: readonly number[],
  source: FixedColumn,
): { indices: FixedColumn; entries: Uint32Array } {
  const { entries, remaps } = unifyDictionaries(name, dict, values, sizes);
  let indices = source;
  let row = 0;
  let owned = false;
  chunks.forEach((c, i) => {
    const remap = remaps[which[i]!]!;
    if (!remap.every((to, j) => to === j)) {
      if (!owned) indices = ownIndices(indices);
      owned = true;
      remapRows(indices, row, c.length, remap);
    }
    row += c.length;
  });
  return { indices, entries };
}

/**
 * A dictionary column's chunks as one column: its indices as they are, and one dictionary
 * every split file carries whole. Chunks with different dictionaries (IPC deltas or
 * replacements, Parquet row groups) are unified and their indices remapped; a unified
 * dictionary the index type can't address is refused (DATASET.DICTIONARY_OVERFLOW).
 */
export function flatDictionary(
  name: string,
  type: DataType,
  chunks: readonly Data[],
  length: number,
  flatten: Flatten,
  unsupported: () => Error,
): DictionaryColumn {
  const dict = type as Dictionary;
  const indices = flatten(
    name,
    dict.indices,
    chunks.map((c) => c.clone(dict.indices)),
    length,
  ) as FixedColumn;
  const vectors: Vector[] = [];
  const which = chunks.map((c) => {
    const v = c.dictionary as Vector;
    const k = vectors.indexOf(v);
    return k >= 0 ? k : vectors.push(v) - 1;
  });
  const sizes = vectors.map((v) => v.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const values = flatten(
    name,
    dict.dictionary,
    vectors.flatMap((v) => v.data),
    total,
  );
  if (values.kind !== 'fixed' && values.kind !== 'bool' && values.kind !== 'binary') throw unsupported();
  const unified =
    vectors.length <= 1
      ? { indices, entries: iota(total) }
      : unifyChunks(name, dict, chunks, which, values, sizes, indices);
  return {
    kind: 'dictionary',
    name,
    type,
    length,
    validity: unified.indices.validity,
    id: dict.id,
    indices: unified.indices,
    values,
    entries: unified.entries,
  };
}
