import { Type } from 'apache-arrow';
import { DatasetError } from '../errors.js';
import { copyBits } from './bitmap.js';
import type { FlatColumn } from './flat-column.js';
import { RangeBuilder, type Ranges, rowsOfRanges } from './ranges.js';
import type { ColumnLayout } from './take.js';

/**
 * measure and gather for a column reached through ranges of rows: the payload of list,
 * fixed-size list and struct columns, and any column under them. Buffers and field nodes come
 * in pre-order (a column's own, then each child's), as the IPC body lays them out.
 */

/** The callbacks the flat (row-indexed) gathers of take.ts provide for leaf layouts. */
export interface LeafTake {
  measure(col: FlatColumn, rows: Uint32Array): ColumnLayout;
  gather(col: FlatColumn, rows: Uint32Array, layout: ColumnLayout, targets: readonly Uint8Array[]): void;
}

/** A nested layout remembers the ranges it was measured on, so gather need not find them again. */
interface RangeLayout extends ColumnLayout {
  readonly ranges: Ranges;
  /** For leaves gathered row by row (bool, binary): the rows the ranges expand to. */
  readonly rows?: Uint32Array;
}

function nullsIn(validity: Uint8Array | null, r: Ranges): number {
  if (!validity) return 0;
  let valid = 0;
  for (let k = 0; k < r.count; k++) {
    for (let i = r.starts[k]!; i < r.ends[k]!; i++) valid += (validity[i >> 3]! >> (i & 7)) & 1;
  }
  return r.rows - valid;
}

function listChildRanges(col: FlatColumn & { kind: 'list' }, r: Ranges): Ranges {
  const { offsets } = col;
  const b = new RangeBuilder(r.count);
  for (let k = 0; k < r.count; k++) b.add(offsets[r.starts[k]!]!, offsets[r.ends[k]!]!);
  const child = b.build();
  if (col.type.typeId !== Type.LargeList && child.rows > 0x7fffffff) {
    throw new DatasetError(
      'DATASET.VALUES_TOO_LARGE',
      `column "${col.name}" holds over 2^31 list items in one record batch`,
    );
  }
  return child;
}

function scaled(r: Ranges, size: number): Ranges {
  const b = new RangeBuilder(r.count);
  for (let k = 0; k < r.count; k++) b.add(r.starts[k]! * size, r.ends[k]! * size);
  return b.build();
}

/** Sizes the buffers of `col` restricted to ranges `r`, children included. */
export function measureRanges(col: FlatColumn, r: Ranges, leaf: LeafTake): RangeLayout {
  const length = r.rows;
  const nullCount = col.kind === 'null' ? length : nullsIn(col.validity, r);
  const bitmap = nullCount > 0 ? (length + 7) >> 3 : 0;
  const base = { length, nullCount, ranges: r };
  switch (col.kind) {
    case 'null':
      return { ...base, buffers: [] };
    case 'fixed':
      return { ...base, buffers: [bitmap, length * col.width] };
    case 'dictionary':
      return { ...base, buffers: [bitmap, length * col.indices.width] };
    case 'bool':
    case 'binary': {
      const rows = rowsOfRanges(r);
      return { ...leaf.measure(col, rows), ranges: r, rows };
    }
    case 'list': {
      const width = col.type.typeId === Type.LargeList ? 8 : 4;
      const child = measureRanges(col.child, listChildRanges(col, r), leaf);
      return { ...base, buffers: [bitmap, (length + 1) * width], children: [child] };
    }
    case 'fixed-list':
      return { ...base, buffers: [bitmap], children: [measureRanges(col.child, scaled(r, col.size), leaf)] };
    case 'struct':
      return { ...base, buffers: [bitmap], children: col.children.map((c) => measureRanges(c, r, leaf)) };
  }
}

function gatherBitRanges(src: Uint8Array, r: Ranges, out: Uint8Array): void {
  let at = 0;
  for (let k = 0; k < r.count; k++) {
    const n = r.ends[k]! - r.starts[k]!;
    copyBits(out, at, src, r.starts[k]!, n);
    at += n;
  }
}

/** Below this many words per range, a loop beats the TypedArray object set(subarray()) costs. */
const SHORT_RUN_WORDS = 64;

function gatherByteRanges(bytes: Uint8Array, width: number, r: Ranges, out: Uint8Array): void {
  const { starts, ends, count } = r;
  const word = width % 4 === 0 && bytes.byteOffset % 4 === 0 && out.byteOffset % 4 === 0 ? 4 : 1;
  const View = word === 4 ? Uint32Array : Uint8Array;
  const src = new View(bytes.buffer as ArrayBuffer, bytes.byteOffset, Math.floor(bytes.byteLength / word));
  const dst = new View(out.buffer as ArrayBuffer, out.byteOffset, Math.floor(out.byteLength / word));
  const per = width / word;
  let at = 0;
  for (let k = 0; k < count; k++) {
    const from = starts[k]! * per;
    const to = ends[k]! * per;
    if (to - from < SHORT_RUN_WORDS) for (let w = from; w < to; w++) dst[at++] = src[w]!;
    else {
      dst.set(src.subarray(from, to), at);
      at += to - from;
    }
  }
}

function gatherListOffsets(col: FlatColumn & { kind: 'list' }, r: Ranges, out: Uint8Array): void {
  const { offsets } = col;
  const { starts, ends, count } = r;
  const n = r.rows + 1;
  if (col.type.typeId === Type.LargeList) {
    const large = new BigInt64Array(out.buffer, out.byteOffset, n);
    for (let k = 0, o = 0, at = 0; k < count; k++) {
      for (let i = starts[k]!; i < ends[k]!; i++) {
        at += offsets[i + 1]! - offsets[i]!;
        large[++o] = BigInt(at);
      }
    }
    return;
  }
  // A run of rows is one span of items: its offsets are the source's, shifted by one constant.
  const small = new Int32Array(out.buffer, out.byteOffset, n);
  for (let k = 0, o = 0, at = 0; k < count; k++) {
    const first = starts[k]!;
    const last = ends[k]!;
    const shift = at - offsets[first]!;
    for (let i = first + 1; i <= last; i++) small[++o] = offsets[i]! + shift;
    at = offsets[last]! + shift;
  }
}

/**
 * Fills the buffers of `col` (and its children) from `targets[cursor.at]` on, in pre-order,
 * as `measureRanges` sized them.
 */
export function gatherRanges(
  col: FlatColumn,
  layout: ColumnLayout,
  targets: readonly Uint8Array[],
  cursor: { at: number },
  leaf: LeafTake,
): void {
  const { ranges: r, rows } = layout as RangeLayout;
  const own = targets.slice(cursor.at, cursor.at + layout.buffers.length);
  cursor.at += layout.buffers.length;
  if (col.kind === 'bool' || col.kind === 'binary') {
    leaf.gather(col, rows!, layout, own);
    return;
  }
  if (layout.nullCount > 0 && col.kind !== 'null') gatherBitRanges(col.validity!, r, own[0]!);
  switch (col.kind) {
    case 'fixed':
      gatherByteRanges(col.bytes, col.width, r, own[1]!);
      return;
    case 'dictionary':
      gatherByteRanges(col.indices.bytes, col.indices.width, r, own[1]!);
      return;
    case 'list':
      gatherListOffsets(col, r, own[1]!);
      gatherRanges(col.child, layout.children![0]!, targets, cursor, leaf);
      return;
    case 'fixed-list':
      gatherRanges(col.child, layout.children![0]!, targets, cursor, leaf);
      return;
    case 'struct':
      col.children.forEach((c, i) => {
        gatherRanges(c, layout.children![i]!, targets, cursor, leaf);
      });
      return;
  }
}
