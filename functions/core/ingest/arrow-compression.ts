import { BodyCompressionMethod } from 'apache-arrow/fb/body-compression-method';
import type { RecordBatch } from 'apache-arrow/fb/record-batch';
import { DatasetError } from '../errors.js';
import { ARROW_CODECS } from './arrow-codecs.js';

/** The prefix value meaning "this buffer is stored uncompressed" (Arrow's Message.fbs). */
const NOT_COMPRESSED = -1n;

/** What the metadata scan totals across every message: the bytes decompression allocates. */
export interface BodyScan {
  inflated: number;
}

/**
 * Checks a compressed record or dictionary batch's body before apache-arrow decompresses it:
 * the codec is one ingest decodes (else ARROW.UNSUPPORTED_COMPRESSION, naming it), every
 * buffer lies within the body and holds its 8-byte length prefix, and no prefix is negative
 * (but -1, "stored as is"). The declared lengths are added to `scan.inflated`, which the
 * caller counts against the decode budget before any buffer is allocated from them. Returns
 * why the body is corrupt, or undefined.
 */
export function compressedBodyFault(
  batch: RecordBatch,
  bytes: Uint8Array,
  body: number,
  bodyLength: number,
  scan: BodyScan,
): string | undefined {
  const compression = batch.compression();
  if (!compression) return undefined;
  const codec = compression.codec();
  if (!(codec in ARROW_CODECS) || compression.method() !== BodyCompressionMethod.BUFFER) {
    const name = ARROW_CODECS[codec] ?? `codec ${codec}`;
    throw new DatasetError(
      'ARROW.UNSUPPORTED_COMPRESSION',
      `the Arrow IPC body compression ${name} (method ${compression.method()}) is not supported; LZ4_FRAME and ZSTD are`,
      { details: { codec, method: compression.method() } },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < batch.buffersLength(); i++) {
    const buffer = batch.buffers(i)!;
    const offset = Number(buffer.offset());
    const length = Number(buffer.length());
    if (length === 0) continue;
    if (!(offset >= 0 && length >= 8 && offset + length <= bodyLength)) {
      return `compressed buffer ${i} lies outside its message body or lacks its length prefix`;
    }
    const declared = view.getBigInt64(body + offset, true);
    if (declared === NOT_COMPRESSED) continue;
    if (declared < 0n || declared > BigInt(Number.MAX_SAFE_INTEGER)) {
      return `compressed buffer ${i} declares an uncompressed length of ${declared}`;
    }
    scan.inflated += Number(declared);
  }
  return undefined;
}
