import { IDENTITY_BYTES } from './row-identity.js';

/**
 * Row numbers ordered by identity (ascending bytewise), equal identities by ascending row. A
 * stable LSD radix sort on the first 32 bits (two 16-bit passes, linear in the rows), then a
 * comparison sort inside each run of equal first words: SHA-256 outputs make those runs tiny
 * except for duplicate rows, where the whole identity and then the row number decide.
 * `rows` lists the rows to order (ascending); identity of row r is at ids[32 r, 32 r + 32).
 */
export function rowsByIdentity(ids: Uint8Array, rows: Uint32Array): Uint32Array {
  const n = rows.length;
  const view = new DataView(ids.buffer, ids.byteOffset, ids.byteLength);
  const word = new Uint32Array(n);
  for (let k = 0; k < n; k++) word[k] = view.getUint32(rows[k]! * IDENTITY_BYTES, false);
  const positions = radixByWord(word);
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = rows[positions[k]!]!;
  const buf = Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength);
  const compare = (a: number, b: number) =>
    buf.compare(
      buf,
      a * IDENTITY_BYTES,
      (a + 1) * IDENTITY_BYTES,
      b * IDENTITY_BYTES,
      (b + 1) * IDENTITY_BYTES,
    ) || a - b;
  for (let start = 0; start < n; ) {
    const w = word[positions[start]!]!;
    let end = start + 1;
    while (end < n && word[positions[end]!] === w) end++;
    if (end - start > 1) order.subarray(start, end).sort(compare);
    start = end;
  }
  return order;
}

/** Positions 0..n−1 sorted by `word`, stably (two passes of 16 bits, low half first). */
function radixByWord(word: Uint32Array): Uint32Array {
  const n = word.length;
  let from = new Uint32Array(n);
  for (let k = 0; k < n; k++) from[k] = k;
  let to = new Uint32Array(n);
  for (const shift of [0, 16]) {
    const counts = new Uint32Array(65537);
    for (let k = 0; k < n; k++) counts[((word[k]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 1; b <= 65536; b++) counts[b]! += counts[b - 1]!;
    for (let k = 0; k < n; k++) {
      const p = from[k]!;
      to[counts[(word[p]! >>> shift) & 0xffff]!++] = p;
    }
    [from, to] = [to, from];
  }
  return from;
}
