type Offsets = Int32Array | BigInt64Array;

/** Offsets must exist for every row, start at or past 0, never decrease and end within the data. */
export function offsetsFault(
  offsets: Offsets,
  from: number,
  to: number,
  dataBytes: number,
): string | undefined {
  if (offsets.length < to + 1) return 'its offsets buffer is shorter than its rows';
  let previous = Number(offsets[from]);
  if (previous < 0) return 'an offset is negative';
  for (let i = from + 1; i <= to; i++) {
    const next = Number(offsets[i]);
    if (next < previous) return `offset ${i} goes backwards`;
    previous = next;
  }
  return previous > dataBytes
    ? `offset ${to} (${previous}) points past its ${dataBytes}-byte data buffer`
    : undefined;
}
