import { type Data, DataType, type Table } from 'apache-arrow';

const isValid = (bitmap: Uint8Array, i: number): boolean => (bitmap[i >> 3]! & (1 << (i & 7))) !== 0;

/** Empties the utf8/binary values under nulls: each null's end offset repeats its start. */
function emptyNullSpans(data: Data, bitmap: Uint8Array): void {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const values = data.values as Uint8Array;
  const base = data.offset;
  let empty = true;
  for (let i = 0; i < data.length && empty; i++) {
    if (!isValid(bitmap, base + i)) empty = offsets[base + i] === offsets[base + i + 1];
  }
  if (empty) return;
  // Compact in place: a kept value only ever moves left, so copyWithin never overwrites a
  // value still to be read.
  const wide = offsets instanceof BigInt64Array;
  let at = Number(offsets[base]);
  // The source offset of the next value's start: offsets[base + i] is already rewritten.
  let start = at;
  for (let i = 0; i < data.length; i++) {
    const end = Number(offsets[base + i + 1]);
    if (isValid(bitmap, base + i)) {
      values.copyWithin(at, start, end);
      at += end - start;
    }
    if (wide) (offsets as BigInt64Array)[base + i + 1] = BigInt(at);
    else (offsets as Int32Array)[base + i + 1] = at;
    start = end;
  }
}

/**
 * Puts in every null slot of `data` (and its children) what SPLIT-SPEC §3.2 promises for
 * Parquet: zero bytes for a fixed-width value or dictionary index, bit 0 for a bool, an empty
 * utf8/binary value. Parquet stores nothing under a null, and parquet-wasm's reader leaves
 * there whatever its batching put in the buffer, so without this the same rows cut into other
 * files or row groups give other split bytes (§7). Dictionaries' own values hold no nulls.
 */
function zeroNullSlots(data: Data): void {
  for (const child of data.children) zeroNullSlots(child);
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) return;
  const { type, values } = data;
  const base = data.offset;
  if (DataType.isBool(type)) {
    const bits = values as Uint8Array;
    for (let i = 0; i < data.length; i++) {
      const j = base + i;
      if (!isValid(bitmap, j)) bits[j >> 3] = bits[j >> 3]! & ~(1 << (j & 7));
    }
  } else if (
    DataType.isUtf8(type) ||
    DataType.isBinary(type) ||
    DataType.isLargeUtf8(type) ||
    DataType.isLargeBinary(type)
  ) {
    emptyNullSpans(data, bitmap);
  } else if (ArrayBuffer.isView(values) && !data.valueOffsets && data.children.length === 0) {
    // Fixed width (ints, floats, decimals, temporals, fixed-size binary, dictionary indices).
    const width = (values as Uint8Array).BYTES_PER_ELEMENT * data.stride;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    for (let i = 0; i < data.length; i++) {
      if (!isValid(bitmap, base + i)) bytes.fill(0, (base + i) * width, (base + i + 1) * width);
    }
  }
}

/** zeroNullSlots over every column of every batch of a Table read from Parquet. */
export function zeroParquetNullSlots(table: Table): Table {
  for (const batch of table.batches) for (const child of batch.data.children) zeroNullSlots(child);
  return table;
}
