import { copyBits } from '../../../../functions/core/arrow/bitmap.js';
import type { FlatColumn } from '../../../../functions/core/arrow/flat-column.js';
import type { ShardInput } from '../../../../functions/core/shard/sharded-assign.js';

function sliceBits(bits: Uint8Array, from: number, count: number): Uint8Array {
  const out = new Uint8Array((count + 7) >> 3);
  copyBits(out, 0, bits, from, count);
  return out;
}

/**
 * Rows [from, to) of a flat column, as the shard ingest will hand them over: fixed values
 * copied (8-byte aligned), bits shifted to start at bit 0, binary cells still pointing into the
 * same data, a dictionary's indices sliced and its values and entries (the unified dictionary) shared.
 * Only the kinds the strategies read; nested columns are not sliced.
 */
export function sliceColumn(col: FlatColumn, from: number, to: number): FlatColumn {
  const length = to - from;
  const validity = col.validity && sliceBits(col.validity, from, length);
  switch (col.kind) {
    case 'fixed':
      return { ...col, length, validity, bytes: col.bytes.slice(from * col.width, to * col.width) };
    case 'bool':
      return { ...col, length, validity, bits: sliceBits(col.bits, from, length) };
    case 'binary':
      return {
        ...col,
        length,
        validity,
        starts: col.starts.subarray(from, to),
        ends: col.ends.subarray(from, to),
      };
    case 'null':
      return { ...col, length, validity };
    case 'dictionary': {
      const indices = sliceColumn(col.indices, from, to) as typeof col.indices;
      return { ...col, length, validity, indices: { ...indices, validity } };
    }
    default:
      throw new Error(`slice-columns does not cut ${col.kind} columns`);
  }
}

/** The table cut at `cuts` (ascending row numbers, repeats allowed: empty shards) into shards. */
export function cutIntoShards(
  columns: readonly FlatColumn[],
  rows: number,
  cuts: readonly number[],
): ShardInput[] {
  const bounds = [0, ...cuts, rows];
  return bounds.slice(1).map((to, s) => {
    const from = bounds[s]!;
    return { rows: to - from, columns: columns.map((c) => sliceColumn(c, from, to)) };
  });
}
