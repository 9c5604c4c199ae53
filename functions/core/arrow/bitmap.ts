import type { Data } from 'apache-arrow';

/** True when bit i of a packed little-endian bitmap is set. */
export function bit(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** Copies `count` bits of `src` from bit `from` to `out` at bit `at` (out zero-filled). */
export function copyBits(out: Uint8Array, at: number, src: Uint8Array, from: number, count: number): void {
  for (let i = 0; i < count; i++) {
    if (bit(src, from + i)) out[(at + i) >> 3]! |= 1 << ((at + i) & 7);
  }
}

/** The chunks' validity bitmaps joined from bit 0, or null when no chunk has a null. */
export function flatValidity(chunks: readonly Data[], length: number): Uint8Array | null {
  if (chunks.every((c) => c.nullCount === 0)) return null;
  const out = new Uint8Array((length + 7) >> 3);
  let at = 0;
  for (const c of chunks) {
    if (c.nullCount === 0 || !c.nullBitmap || c.nullBitmap.length === 0) {
      for (let i = at; i < at + c.length; i++) out[i >> 3]! |= 1 << (i & 7);
    } else {
      copyBits(out, at, c.nullBitmap, c.offset, c.length);
    }
    at += c.length;
  }
  return out;
}
