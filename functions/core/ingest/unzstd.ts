import { Decompress } from 'fzstd';

const ZSTD_MAGIC = 0xfd2fb528;
// Skippable frames use magics 0x184D2A50..0x184D2A5F.
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
// The largest window a frame may name (zstd levels 1-19 use at most 8 MiB; 20-22 up to 128 MiB).
// fzstd's streaming decoder allocates the window up front and shifts it by each block's output,
// so a window of the whole buffer would cost time quadratic in the buffer's size.
const MAX_WINDOW = 8 << 20;

/** One zstd frame of a body: its bytes and the content size its header declares, if any. */
interface ZstdFrame {
  readonly bytes: Uint8Array;
  readonly contentSize: number | undefined;
  /** The window the decoder must keep, which fzstd allocates up front. */
  readonly window: number;
}

/**
 * Splits a body into its zstd frames (skippable frames dropped) by walking frame and block
 * headers, without decoding. fzstd given an output buffer starts every frame at offset 0 of
 * it, so each frame has to be handed to it alone.
 */
function zstdFrames(src: Uint8Array): ZstdFrame[] {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const frames: ZstdFrame[] = [];
  let at = 0;
  while (at < src.length) {
    if (at + 8 > src.length) throw new Error('a ZSTD frame is truncated');
    const magic = view.getUint32(at, true);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      at += 8 + view.getUint32(at + 4, true);
      if (at > src.length) throw new Error('a skippable ZSTD frame is truncated');
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw new Error('a ZSTD frame lacks its magic number');
    const start = at;
    const flags = src[at + 4]!;
    const single = (flags >> 5) & 1;
    const sizeBytes = [single, 2, 4, 8][flags >> 6]!;
    at += 5 + (single ? 0 : 1) + [0, 1, 2, 4][flags & 3]!;
    if (at + sizeBytes > src.length) throw new Error('a ZSTD frame header is truncated');
    let contentSize: number | undefined;
    if (sizeBytes === 1) contentSize = view.getUint8(at);
    else if (sizeBytes === 2) contentSize = view.getUint16(at, true) + 256;
    else if (sizeBytes === 4) contentSize = view.getUint32(at, true);
    else if (sizeBytes === 8) contentSize = Number(view.getBigUint64(at, true));
    at += sizeBytes;
    const descriptor = src[start + 5]!;
    const base = 2 ** (10 + (descriptor >> 3));
    const window = single ? (contentSize ?? 0) : base + (base / 8) * (descriptor & 7);
    for (let last = 0; !last; ) {
      if (at + 3 > src.length) throw new Error('a ZSTD block header is truncated');
      const header = src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16);
      last = header & 1;
      const type = (header >> 1) & 3;
      if (type === 3) throw new Error('a ZSTD block has the reserved type');
      at += 3 + (type === 1 ? 1 : header >>> 3);
      if (at > src.length) throw new Error('a ZSTD block is truncated');
    }
    if ((flags >> 2) & 1) at += 4; // content checksum
    if (at > src.length) throw new Error('a ZSTD frame checksum is truncated');
    frames.push({ bytes: src.subarray(start, at), contentSize, window });
  }
  return frames;
}

/**
 * Decodes one frame into `out` at `at`, block by block, and returns the end of what it wrote.
 * fzstd's streaming decoder hands over each block's exact output, so a body that decodes
 * short or long is seen as such (decoding into a buffer instead, fzstd leaves zeros for the
 * first and clips the second, and scribbles literals past its output); it throws as soon as
 * the output passes `limit`, so a hostile block never makes more than one block of garbage.
 */
function decodeFrame(frame: Uint8Array, out: Uint8Array, at: number, limit: number): number {
  let end = at;
  const decoder = new Decompress((block) => {
    if (end + block.length > limit) {
      throw new Error(`a ZSTD body decompresses to more than the ${limit} bytes declared`);
    }
    out.set(block, end);
    end += block.length;
  });
  decoder.push(frame, true);
  return end;
}

/**
 * Decompresses a zstd body into a new buffer of exactly `size` bytes, or throws when the body
 * decodes to more or fewer bytes, or a frame to other than the content size its header
 * declares: a conforming decoder refuses those, and reading them would pad with zeros or
 * silently cut. A frame naming a window over 8 MiB is refused before fzstd allocates it.
 */
export function unzstdInto(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const frame of zstdFrames(src)) {
    if (frame.window > MAX_WINDOW) {
      throw new Error(
        `a ZSTD frame names a ${frame.window}-byte window; at most ${MAX_WINDOW} bytes (zstd levels up to 19) are decoded`,
      );
    }
    const end = decodeFrame(frame.bytes, out, at, size);
    if (frame.contentSize !== undefined && end - at !== frame.contentSize) {
      throw new Error(
        `a ZSTD frame decompresses to ${end - at} bytes, not the ${frame.contentSize} its header declares`,
      );
    }
    at = end;
  }
  if (at !== size) throw new Error(`a ZSTD body decompresses to ${at} bytes, not the ${size} declared`);
  return out;
}
