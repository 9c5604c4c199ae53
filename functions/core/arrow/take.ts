import { Type } from 'apache-arrow';
import { DatasetError } from '../errors.js';
import { type BinaryColumn, bit, type FixedColumn, type FlatColumn } from './flat-column.js';
import { rangesOfRows } from './ranges.js';
import { gatherRanges, type LeafTake, measureRanges } from './take-nested.js';

/**
 * Gathering the chosen rows of a column into a file buffer, in two steps: `measure` sizes every
 * buffer (what the batch header must state before any body byte is written), then `gather` fills
 * them in place. Writing straight into the output file is what keeps encoding at one copy of the
 * data: no per-column arrays, no concatenation afterwards.
 */

/** Buffer sizes of one column in one record batch, in the order the IPC body lays them out. */
export interface ColumnLayout {
  readonly length: number;
  readonly nullCount: number;
  /** Byte lengths of the validity bitmap (0 without nulls) and the data buffers. */
  readonly buffers: readonly number[];
  /** Layouts of the child columns (list item, struct fields), whose nodes and buffers follow. */
  readonly children?: readonly ColumnLayout[];
}

function countNulls(col: FlatColumn, rows: Uint32Array): number {
  const validity = col.validity;
  if (!validity) return 0;
  let nulls = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    nulls += 1 - ((validity[r >> 3]! >> (r & 7)) & 1);
  }
  return nulls;
}

function isLarge(col: BinaryColumn): boolean {
  return col.type.typeId === Type.LargeUtf8 || col.type.typeId === Type.LargeBinary;
}

function binaryBytes(col: BinaryColumn, rows: Uint32Array): number {
  const { starts, ends } = col;
  let total = 0;
  for (let i = 0; i < rows.length; i++) total += ends[rows[i]!]! - starts[rows[i]!]!;
  if (!isLarge(col) && total > 0x7fffffff) {
    throw new DatasetError(
      'DATASET.VALUES_TOO_LARGE',
      `column "${col.name}" holds over 2 GiB of values in one record batch`,
    );
  }
  return total;
}

/** Sizes the buffers the chosen rows of `col` need: the same sizes apache-arrow's writer emits. */
export function measureColumn(col: FlatColumn, rows: Uint32Array): ColumnLayout {
  // A dictionary column's batch holds its indices only (the dictionary has its own message).
  if (col.kind === 'dictionary') return measureColumn(col.indices, rows);
  if (col.kind !== 'fixed' && col.kind !== 'bool' && col.kind !== 'binary') {
    return measureRanges(col, rangesOfRows(rows), LEAF);
  }
  const length = rows.length;
  const nullCount = countNulls(col, rows);
  const bitmap = nullCount > 0 ? (length + 7) >> 3 : 0;
  switch (col.kind) {
    case 'fixed':
      return { length, nullCount, buffers: [bitmap, length * col.width] };
    case 'bool':
      return { length, nullCount, buffers: [bitmap, (length + 7) >> 3] };
    case 'binary':
      return {
        length,
        nullCount,
        buffers: [bitmap, (length + 1) * (isLarge(col) ? 8 : 4), binaryBytes(col, rows)],
      };
  }
}

function gatherBits(bits: Uint8Array, rows: Uint32Array, out: Uint8Array): void {
  for (let i = 0; i < rows.length; i++) if (bit(bits, rows[i]!)) out[i >> 3]! |= 1 << (i & 7);
}

/** Copies whole values through the widest word view that divides the value width. */
function gatherFixed(col: FixedColumn, rows: Uint32Array, out: Uint8Array): void {
  const { width, bytes } = col;
  const aligned = (w: number) => width % w === 0 && bytes.byteOffset % w === 0 && out.byteOffset % w === 0;
  const word = aligned(4) ? 4 : aligned(2) ? 2 : 1;
  const View = word === 4 ? Uint32Array : word === 2 ? Uint16Array : Uint8Array;
  const src = new View(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / word);
  const dst = new View(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength / word);
  const per = width / word;
  if (per === 1) {
    for (let i = 0; i < rows.length; i++) dst[i] = src[rows[i]!]!;
  } else if (per === 2) {
    for (let i = 0, o = 0; i < rows.length; i++, o += 2) {
      const from = rows[i]! * 2;
      dst[o] = src[from]!;
      dst[o + 1] = src[from + 1]!;
    }
  } else {
    for (let i = 0; i < rows.length; i++) {
      const from = rows[i]! * per;
      for (let w = 0; w < per; w++) dst[i * per + w] = src[from + w]!;
    }
  }
}

function gatherBinary(
  col: BinaryColumn,
  rows: Uint32Array,
  offsetsOut: Uint8Array,
  dataOut: Uint8Array,
): void {
  const { starts, ends, data } = col;
  const large = isLarge(col);
  const small = large ? undefined : new Int32Array(offsetsOut.buffer, offsetsOut.byteOffset, rows.length + 1);
  const big = large
    ? new BigInt64Array(offsetsOut.buffer, offsetsOut.byteOffset, rows.length + 1)
    : undefined;
  const setOffset = small
    ? (i: number, at: number) => (small[i] = at)
    : (i: number, at: number) => (big![i] = BigInt(at));
  let at = 0;
  for (let i = 0; i < rows.length; ) {
    // Rows that follow each other in the source usually sit back to back in `data` (Arrow
    // offsets): such a run is copied in one go, which is most of a split in source order.
    const first = starts[rows[i]!]!;
    let end = ends[rows[i]!]!;
    setOffset(++i, at + end - first);
    while (i < rows.length && starts[rows[i]!] === end) {
      end = ends[rows[i]!]!;
      setOffset(++i, at + end - first);
    }
    // A subarray costs an object; below this length a byte loop is cheaper than set().
    if (end - first < 48) for (let b = first; b < end; b++) dataOut[at++] = data[b]!;
    else {
      dataOut.set(data.subarray(first, end), at);
      at += end - first;
    }
  }
}

/**
 * Writes the chosen rows of `col` into `targets` (zero-filled, sized by `measureColumn`, one per
 * buffer, each 8-byte aligned in its ArrayBuffer). `exact` keeps the bits of an all-null bool
 * batch instead of zeroing them (for row blocks that are not yet the file's batches).
 */
export function gatherColumn(
  col: FlatColumn,
  rows: Uint32Array,
  layout: ColumnLayout,
  targets: readonly Uint8Array[],
  exact = false,
): void {
  if (col.kind === 'dictionary') {
    gatherColumn(col.indices, rows, layout, targets, exact);
    return;
  }
  if (col.kind !== 'fixed' && col.kind !== 'bool' && col.kind !== 'binary') {
    gatherRanges(col, layout, targets, { at: 0 }, exact ? EXACT_LEAF : LEAF);
    return;
  }
  if (layout.nullCount > 0) gatherBits(col.validity!, rows, targets[0]!);
  switch (col.kind) {
    case 'fixed':
      gatherFixed(col, rows, targets[1]!);
      return;
    case 'bool':
      // apache-arrow writes an all-null bool batch's values as zeros, whatever lay under the nulls.
      if (exact || layout.nullCount < layout.length) gatherBits(col.bits, rows, targets[1]!);
      return;
    case 'binary':
      gatherBinary(col, rows, targets[1]!, targets[2]!);
      return;
  }
}

/** The row-indexed gathers, for bool and binary leaves under nested columns. */
const LEAF: LeafTake = { measure: measureColumn, gather: (c, r, l, t) => gatherColumn(c, r, l, t) };
const EXACT_LEAF: LeafTake = {
  measure: measureColumn,
  gather: (c, r, l, t) => gatherColumn(c, r, l, t, true),
};
