import { gunzipSync } from 'fflate';
import snappy from 'snappyjs';
import { unzstdInto } from './unzstd.js';

// Parquet CompressionCodec values this module decompresses.
const UNCOMPRESSED = 0;
const SNAPPY = 1;
const GZIP = 2;
const ZSTD = 6;

/**
 * The dictionary page's decompressed bytes, never more than `size` (its header's
 * uncompressed_page_size, which the caller has already checked against the budget), or null
 * for a codec this module doesn't decode. A page that decompresses to fewer bytes throws; one
 * that decompresses to more is cut at `size` (fflate and fzstd stop at the end of the buffer
 * they are given), and the Rust reader refuses it as a size mismatch.
 */
export function decompressPage(page: Uint8Array, codec: number, size: number): Uint8Array | null {
  let out: Uint8Array;
  if (codec === UNCOMPRESSED) out = page;
  // snappyjs reads the declared length first and throws past `size` before allocating.
  else if (codec === SNAPPY) out = snappy.uncompress(page, size);
  else if (codec === GZIP) out = gunzipSync(page, { out: new Uint8Array(size) });
  else if (codec === ZSTD) out = unzstdInto(page, size);
  else return null;
  if (out.length !== size) {
    throw new Error(`a dictionary page decompresses to ${out.length} bytes, not the ${size} its header says`);
  }
  return out;
}

/** What a dictionary page tells about the rows that refer to it. */
export interface DictionaryLengths {
  /** The longest value: what any one dictionary-encoded row decodes to at most. */
  readonly longest: number;
  /** Each value's length, or null when the page's codec isn't one this module decodes. */
  readonly lengths: Int32Array | null;
}

/**
 * The value lengths in a BYTE_ARRAY dictionary page of `entries` PLAIN values (4-byte
 * little-endian length, then the bytes). For a codec this module doesn't decode, the page's
 * uncompressed size stands in for the longest value: looser, still safe.
 */
export function readDictionary(
  page: Uint8Array,
  codec: number,
  size: number,
  entries: number,
): DictionaryLengths {
  const plain = decompressPage(page, codec, size);
  if (!plain) return { longest: size, lengths: null };
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  const lengths = new Int32Array(entries);
  let longest = 0;
  let at = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 4 > plain.length) throw new Error('a dictionary page holds fewer values than its header says');
    const length = view.getUint32(at, true);
    at += 4 + length;
    if (at > plain.length) throw new Error('a dictionary value runs past the end of its page');
    lengths[i] = length;
    if (length > longest) longest = length;
  }
  return { longest, lengths };
}
