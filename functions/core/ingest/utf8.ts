import { isUtf8 } from 'node:buffer';
import { DatasetError } from '../errors.js';

/** Length of the UTF-8 byte-order mark at the start of `bytes` (3), or 0 when there is none. */
export function bomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** Byte length of the sequence starting at `i`, or 0 when it is not well-formed UTF-8. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = bytes[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  // Ranges from RFC 3629 section 4: they exclude overlongs, surrogates and values past U+10FFFF.
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Offset of the first byte that isn't part of well-formed UTF-8; -1 when all of it is. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/**
 * Text formats must be UTF-8 throughout. The native check runs at memory speed; the slow scan
 * only runs to name the offending byte.
 */
export function assertUtf8(bytes: Uint8Array): void {
  if (isUtf8(bytes)) return;
  const offset = firstInvalidUtf8(bytes);
  const bad = bytes[offset]!.toString(16).padStart(2, '0');
  throw new DatasetError('DATASET.INVALID_UTF8', `invalid UTF-8 at byte offset ${offset} (byte 0x${bad})`, {
    details: { offset },
  });
}
