import { type Data, makeData, Type } from 'apache-arrow';
import { DatasetError } from '../errors.js';
import { type BinaryColumn, type BoolColumn, bit, type FixedColumn, type FlatColumn } from './flat-column.js';

/** Gathers the validity bits of the chosen rows; null (no bitmap) when none is null. */
function takeValidity(col: FlatColumn, rows: Uint32Array): { bitmap: Uint8Array | undefined; nulls: number } {
  if (!col.validity) return { bitmap: undefined, nulls: 0 };
  const out = new Uint8Array((rows.length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < rows.length; i++) {
    if (bit(col.validity, rows[i]!)) out[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return nulls === 0 ? { bitmap: undefined, nulls } : { bitmap: out, nulls };
}

/** Copies whole values through the widest word view that divides the value width. */
function gatherFixed(col: FixedColumn, rows: Uint32Array): Uint8Array {
  const { width, bytes } = col;
  const out = new Uint8Array(new ArrayBuffer(rows.length * width));
  const word =
    width % 4 === 0 && bytes.byteOffset % 4 === 0 ? 4 : width % 2 === 0 && bytes.byteOffset % 2 === 0 ? 2 : 1;
  const View = word === 4 ? Uint32Array : word === 2 ? Uint16Array : Uint8Array;
  const src = new View(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / word);
  const dst = new View(out.buffer);
  const per = width / word;
  if (per === 1) {
    for (let i = 0; i < rows.length; i++) dst[i] = src[rows[i]!]!;
  } else {
    for (let i = 0; i < rows.length; i++) {
      const from = rows[i]! * per;
      for (let w = 0; w < per; w++) dst[i * per + w] = src[from + w]!;
    }
  }
  return out;
}

function takeFixed(col: FixedColumn, rows: Uint32Array): Data {
  const { bitmap, nulls } = takeValidity(col, rows);
  const bytes = gatherFixed(col, rows);
  const ArrayType = col.type.ArrayType as {
    new (b: ArrayBuffer): ArrayBufferView;
    BYTES_PER_ELEMENT: number;
  };
  // makeData's props are typed per DataType subclass; this generic path serves them all.
  const props = {
    type: col.type,
    length: rows.length,
    nullCount: nulls,
    nullBitmap: bitmap,
    data: new ArrayType(bytes.buffer as ArrayBuffer),
  };
  return makeData(props as Parameters<typeof makeData>[0]);
}

function takeBool(col: BoolColumn, rows: Uint32Array): Data {
  const { bitmap, nulls } = takeValidity(col, rows);
  const bits = new Uint8Array((rows.length + 7) >> 3);
  for (let i = 0; i < rows.length; i++) if (bit(col.bits, rows[i]!)) bits[i >> 3]! |= 1 << (i & 7);
  return makeData({
    type: col.type,
    length: rows.length,
    nullCount: nulls,
    nullBitmap: bitmap,
    data: bits,
  } as Parameters<typeof makeData>[0]);
}

function takeBinary(col: BinaryColumn, rows: Uint32Array): Data {
  const { bitmap, nulls } = takeValidity(col, rows);
  const { offsets, data } = col;
  const large = col.type.typeId === Type.LargeUtf8 || col.type.typeId === Type.LargeBinary;
  const outOffsets = large ? new BigInt64Array(rows.length + 1) : new Int32Array(rows.length + 1);
  let total = 0;
  for (let i = 0; i < rows.length; i++) total += offsets[rows[i]! + 1]! - offsets[rows[i]!]!;
  if (!large && total > 0x7fffffff) {
    throw new DatasetError(
      'DATASET.VALUES_TOO_LARGE',
      `column "${col.name}" holds over 2 GiB of values in one record batch`,
    );
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const start = offsets[rows[i]!]!;
    const end = offsets[rows[i]! + 1]!;
    if (end - start < 32) for (let b = start; b < end; b++) out[at++] = data[b]!;
    else {
      out.set(data.subarray(start, end), at);
      at += end - start;
    }
    if (large) (outOffsets as BigInt64Array)[i + 1] = BigInt(at);
    else (outOffsets as Int32Array)[i + 1] = at;
  }
  return makeData({
    type: col.type,
    length: rows.length,
    nullCount: nulls,
    nullBitmap: bitmap,
    valueOffsets: outOffsets,
    data: out,
  } as Parameters<typeof makeData>[0]);
}

/** The chosen rows of one column, in the given order, as fresh Arrow data with offset 0. */
export function takeColumn(col: FlatColumn, rows: Uint32Array): Data {
  switch (col.kind) {
    case 'fixed':
      return takeFixed(col, rows);
    case 'bool':
      return takeBool(col, rows);
    case 'binary':
      return takeBinary(col, rows);
  }
}
