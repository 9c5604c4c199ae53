import type { Data } from 'apache-arrow';
import { bit } from '../arrow/flat-column.js';

/**
 * Why a dictionary-encoded chunk's indices can't be looked up, or undefined: the indices
 * buffer must cover every row, and every index under a non-null row must name an entry of the
 * `entries`-long dictionary (Arrow leaves the index under a null undefined, so only valid rows
 * are held to it). Checked before anything reads a value through an index.
 */
export function dictionaryIndexFault(data: Data, entries: number): string | undefined {
  const end = data.offset + data.length;
  const indices = data.values as ArrayLike<number | bigint>;
  if (!indices || indices.length < end) return 'its indices buffer is shorter than its rows';
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  for (let i = data.offset; i < end; i++) {
    if (bitmap && bitmap.length > 0 && !bit(bitmap, i)) continue;
    const index = Number(indices[i]);
    if (!(index >= 0 && index < entries)) {
      return `row ${i - data.offset} has dictionary index ${index}, past its ${entries}-entry dictionary`;
    }
  }
  return undefined;
}
