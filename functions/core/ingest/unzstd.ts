import { decompress } from 'fzstd';

/**
 * An output buffer fzstd can take without stringifying it: fzstd 0.1.1 tests its output
 * argument with `w == 1`, which turns a Uint8Array into a comma-joined string of every byte
 * (9 s, then a RangeError, for 384 MiB); a primitive value short-cuts that comparison.
 */
class ZstdOutput extends Uint8Array {
  [Symbol.toPrimitive](): number {
    return 0;
  }
}

/**
 * Decompresses zstd frames into a new buffer of exactly `size` bytes. fzstd given an output
 * buffer writes only into it and allocates no window of the size a hostile frame header names;
 * output past `size` throws, output short of it leaves zeros (callers that can, check the
 * frame's declared content size first).
 */
export function unzstdInto(src: Uint8Array, size: number): Uint8Array {
  const out = new ZstdOutput(size);
  decompress(src, out);
  return new Uint8Array(out.buffer, 0, size);
}
