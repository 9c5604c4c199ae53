import { CompressionType, compressionRegistry } from 'apache-arrow';
import { decodeLz4Frames } from './lz4-frame.js';
import { unzstdInto } from './unzstd.js';

/** The body codecs Arrow IPC defines, by their flatbuffer value (CompressionType). */
export const ARROW_CODECS: Readonly<Record<number, string>> = {
  [CompressionType.LZ4_FRAME]: 'LZ4_FRAME',
  [CompressionType.ZSTD]: 'ZSTD',
};

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * The uncompressed length a compressed buffer's 8-byte prefix declares. apache-arrow 21.2.0
 * (pinned) hands a codec the buffer without that prefix, as a view into the message body right
 * after it, so the prefix is the 8 bytes before the view; arrow-metadata.ts has already checked
 * it (not negative, summed within the budget) before the reader gets here.
 */
function declaredLength(bytes: Uint8Array): number {
  if (bytes.byteOffset < 8) throw new Error('a compressed buffer lacks its length prefix');
  const view = new DataView(bytes.buffer, bytes.byteOffset - 8, 8);
  return Number(view.getBigInt64(0, true));
}

/**
 * The content size a zstd frame header declares, or undefined when it declares none (the
 * format makes it optional; Arrow's writers, C++ and Rust, always write it).
 */
function zstdContentSize(src: Uint8Array): number | undefined {
  if (src.length < 6) throw new Error('the ZSTD frame is truncated');
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (view.getUint32(0, true) !== ZSTD_MAGIC) throw new Error('a ZSTD frame lacks its magic number');
  const flags = src[4]!;
  const single = (flags >> 5) & 1;
  const sizeBytes = [single, 2, 4, 8][flags >> 6]!;
  if (sizeBytes === 0) return undefined;
  const at = 5 + (single ? 0 : 1) + [0, 1, 2, 4][flags & 3]!;
  if (at + sizeBytes > src.length) throw new Error('the ZSTD frame header is truncated');
  if (sizeBytes === 1) return view.getUint8(at);
  if (sizeBytes === 2) return view.getUint16(at, true) + 256;
  if (sizeBytes === 4) return view.getUint32(at, true);
  return Number(view.getBigUint64(at, true));
}

/**
 * Decodes into exactly the declared length (see unzstdInto): the check against the frame's own
 * content size is what catches a body that decodes to more or less.
 */
function decodeZstd(src: Uint8Array): Uint8Array {
  const size = declaredLength(src);
  const content = zstdContentSize(src);
  if (content !== undefined && content !== size) {
    throw new Error(`a ZSTD frame decompresses to ${content} bytes, not the ${size} declared`);
  }
  return unzstdInto(src, size);
}

/**
 * Registers the LZ4_FRAME and ZSTD body decoders with apache-arrow's codec registry. The
 * registry is apache-arrow's own module state, so this runs on first use (idempotent) rather
 * than at import time.
 */
export function registerArrowCodecs(): void {
  if (compressionRegistry.get(CompressionType.LZ4_FRAME)) return;
  compressionRegistry.set(CompressionType.LZ4_FRAME, {
    decode: (bytes: Uint8Array) => decodeLz4Frames(bytes, declaredLength(bytes)),
  });
  compressionRegistry.set(CompressionType.ZSTD, { decode: decodeZstd });
}
