import { CompressionType, compressionRegistry } from 'apache-arrow';
import { decodeLz4Frames } from './lz4-frame.js';
import { unzstdInto } from './unzstd.js';

/** The body codecs Arrow IPC defines, by their flatbuffer value (CompressionType). */
export const ARROW_CODECS: Readonly<Record<number, string>> = {
  [CompressionType.LZ4_FRAME]: 'LZ4_FRAME',
  [CompressionType.ZSTD]: 'ZSTD',
};

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
 * Registers the LZ4_FRAME and ZSTD body decoders with apache-arrow's codec registry. The
 * registry is apache-arrow's own module state, so this runs on first use (idempotent) rather
 * than at import time.
 */
export function registerArrowCodecs(): void {
  if (compressionRegistry.get(CompressionType.LZ4_FRAME)) return;
  compressionRegistry.set(CompressionType.LZ4_FRAME, {
    decode: (bytes: Uint8Array) => decodeLz4Frames(bytes, declaredLength(bytes)),
  });
  // unzstdInto refuses a body that decodes to more or fewer bytes than the prefix declares.
  compressionRegistry.set(CompressionType.ZSTD, {
    decode: (bytes: Uint8Array) => unzstdInto(bytes, declaredLength(bytes)),
  });
}
