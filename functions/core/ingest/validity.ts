import { CELL_NULL, type ColumnCells } from './cells.js';

/** Arrow validity bitmap (bit set = value present) and the null count, or none if nothing is null. */
export interface Validity {
  readonly bitmap: Uint8Array | undefined;
  readonly nullCount: number;
}

export function columnValidity(column: ColumnCells): Validity {
  const { flags, stride, rows } = column;
  let nullCount = 0;
  for (let r = 0, i = column.first; r < rows; r++, i += stride) if (flags[i]! & CELL_NULL) nullCount++;
  if (nullCount === 0) return { bitmap: undefined, nullCount };
  // Arrow buffers are padded to 8 bytes; the padding bits stay zero.
  const bitmap = new Uint8Array(((rows + 63) >> 6) << 3);
  for (let r = 0, i = column.first; r < rows; r++, i += stride) {
    if (!(flags[i]! & CELL_NULL)) bitmap[r >> 3]! |= 1 << (r & 7);
  }
  return { bitmap, nullCount };
}
