/**
 * A bounded LZ4 frame decoder (the LZ4 Frame Format 1.6.x, as Arrow's LZ4_FRAME codec writes
 * it). Written here because no maintained pure-JS frame decoder exists: lz4js (last release
 * 2016) reads block checksums before the block instead of after it, never checks a match
 * offset or the output's end, and allocates 5 MiB at import; the other packages are native or
 * WebAssembly bindings. This one writes only into the `size` bytes the caller has already
 * counted against its budget, checks every read and every match, and throws on anything else.
 * Checksums are skipped, not verified: a flipped byte in a compressed body is then like one in
 * an uncompressed body, and the structural checks after decoding still apply.
 */

const MAGIC = 0x184d2204;
const SKIPPABLE = 0x184d2a50;
const BLOCK_MAX = [0, 0, 0, 0, 1 << 16, 1 << 18, 1 << 20, 1 << 22];

class Lz4Reader {
  at = 0;
  out = 0;
  /**
   * The earliest output a match may copy from: the start of the current frame (frames are
   * independent), or of the current block when the frame's block-independence flag is set.
   */
  floor = 0;
  constructor(
    readonly src: Uint8Array,
    readonly dst: Uint8Array,
  ) {}

  need(n: number): void {
    if (this.at + n > this.src.length) throw new Error('the LZ4 frame is truncated');
  }

  skip(n: number): void {
    this.need(n);
    this.at += n;
  }

  u8(): number {
    this.need(1);
    return this.src[this.at++]!;
  }

  u32(): number {
    this.need(4);
    const s = this.src;
    const v =
      (s[this.at]! | (s[this.at + 1]! << 8) | (s[this.at + 2]! << 16) | (s[this.at + 3]! << 24)) >>> 0;
    this.at += 4;
    return v;
  }

  /** A length continued by 255-valued bytes, as literal and match lengths are. */
  length(base: number): number {
    let n = base;
    if (base !== 15) return n;
    for (let b = 255; b === 255; n += b) b = this.u8();
    return n;
  }

  room(n: number): void {
    if (this.out + n > this.dst.length) {
      throw new Error(`the LZ4 frame decompresses to more than the ${this.dst.length} bytes declared`);
    }
  }
}

/** One compressed block of `size` bytes: literal runs and back-references into the output. */
function block(r: Lz4Reader, size: number): void {
  const end = r.at + size;
  r.need(size);
  while (r.at < end) {
    const token = r.u8();
    const literals = r.length(token >> 4);
    if (r.at + literals > end) throw new Error('an LZ4 literal run passes the end of its block');
    r.room(literals);
    r.dst.set(r.src.subarray(r.at, r.at + literals), r.out);
    r.at += literals;
    r.out += literals;
    if (r.at === end) return; // the last sequence has literals only
    if (r.at + 2 > end) throw new Error('an LZ4 match offset is cut off');
    const offset = r.u8() | (r.u8() << 8);
    if (offset === 0 || offset > r.out - r.floor) {
      throw new Error(`an LZ4 match offset (${offset}) points before the data its block may reach`);
    }
    const match = r.length(token & 15) + 4;
    if (r.at > end) throw new Error('an LZ4 match length passes the end of its block');
    r.room(match);
    // Byte by byte: a match may overlap the bytes it is producing (offset < length).
    for (let from = r.out - offset, i = 0; i < match; i++) r.dst[r.out++] = r.dst[from + i]!;
  }
}

/** One frame from its magic number to its end mark (and content checksum). */
function frame(r: Lz4Reader): void {
  const magic = r.u32();
  if ((magic & 0xfffffff0) === SKIPPABLE) {
    r.skip(r.u32());
    return;
  }
  if (magic !== MAGIC) throw new Error('an LZ4 frame lacks its magic number');
  const flags = r.u8();
  const bd = r.u8();
  if (flags >> 6 !== 1 || (flags & 2) !== 0 || (bd & 0x8f) !== 0) {
    throw new Error('an LZ4 frame descriptor has an unknown version or reserved bits set');
  }
  if (flags & 1) throw new Error('an LZ4 frame needs a dictionary');
  const maxBlock = BLOCK_MAX[(bd >> 4) & 7]!;
  if (maxBlock === 0) throw new Error('an LZ4 frame declares an unknown block size');
  const start = r.out;
  const independent = (flags & 0x20) !== 0;
  r.floor = start;
  let content = -1;
  if (flags & 8) {
    const low = r.u32();
    const high = r.u32();
    content = high * 2 ** 32 + low;
  }
  r.u8(); // header checksum
  for (let size = r.u32(); size !== 0; size = r.u32()) {
    const stored = (size & 0x80000000) !== 0;
    const length = size & 0x7fffffff;
    if (length > maxBlock) throw new Error(`an LZ4 block of ${length} bytes passes its frame's ${maxBlock}`);
    if (independent) r.floor = r.out;
    if (stored) {
      r.need(length);
      r.room(length);
      r.dst.set(r.src.subarray(r.at, r.at + length), r.out);
      r.at += length;
      r.out += length;
    } else {
      block(r, length);
    }
    if (flags & 0x10) r.skip(4); // block checksum
  }
  if (flags & 4) r.skip(4); // content checksum
  if (content >= 0 && r.out - start !== content) {
    throw new Error(`an LZ4 frame decompresses to ${r.out - start} bytes, not the ${content} it declares`);
  }
}

/**
 * The `size` bytes that the LZ4 frames in `src` decompress to. Throws when they are truncated,
 * malformed, or decompress to any other length; never writes past `size`.
 */
export function decodeLz4Frames(src: Uint8Array, size: number): Uint8Array {
  const r = new Lz4Reader(src, new Uint8Array(size));
  while (r.at < src.length) frame(r);
  if (r.out !== size)
    throw new Error(`the LZ4 frame decompresses to ${r.out} bytes, not the ${size} declared`);
  return r.dst;
}
