import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../functions/core/errors.js';
import { ingest } from '../../functions/core/ingest/index.js';
import { decodeLz4Frames } from '../../functions/core/ingest/lz4-frame.js';
import { arrowInput, batchPlaces } from '../fixtures/arrow-patch.js';

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'read',
    (error: unknown) => (error instanceof SplitvaultError ? error.code : `raw ${String(error)}`),
  );

/**
 * flat-zstd.arrows with the `id` data buffer (5 int64 = 40 bytes, compressed as a 32-byte
 * frame) replaced by a frame that declares 40 bytes of content (and the prefix says 40) but
 * holds one raw block of only 23 bytes. A conforming zstd decoder refuses it (the frame content
 * size must equal the decoded size); fzstd leaves the rest of the output buffer zero.
 */
function zstdFrameShortOfItsContentSize(): Uint8Array {
  const p = batchPlaces(arrowInput('flat-zstd.arrows'), true);
  const { at, length } = p.buffer(1);
  expect(length).toBe(40);
  const frame = at + 8;
  const raw = 32 - 9;
  const header = (raw << 3) | 1; // last block, raw
  p.bytes.set([0x28, 0xb5, 0x2f, 0xfd, 0x20, 40, header & 255, (header >> 8) & 255, header >> 16], frame);
  for (let i = 0; i < raw; i++)
    p.bytes[frame + 9 + i] = i < 16 ? [1, 0, 0, 0, 0, 0, 0, 0][i % 8]! + (i >= 8 ? 1 : 0) : 0;
  return p.bytes;
}

/** A zstd frame with no content size, as the format allows, decoding to less than the prefix. */
function zstdFrameWithoutContentSizeDecodingShort(): Uint8Array {
  const p = batchPlaces(arrowInput('flat-zstd.arrows'), true);
  const { at } = p.buffer(1);
  const frame = at + 8;
  const raw = 32 - 9;
  const header = (raw << 3) | 1;
  // FHD 0: no single segment (so a window descriptor byte follows), no content size.
  p.bytes.set([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00, header & 255, (header >> 8) & 255, header >> 16], frame);
  return p.bytes;
}

/**
 * The same buffer as one zstd frame without a content size whose single RLE block repeats a
 * byte 100 times (2.5 times the 40 bytes declared), then a skippable frame filling the rest.
 */
function zstdFrameDecodingLong(): Uint8Array {
  const p = batchPlaces(arrowInput('flat-zstd.arrows'), true);
  const frame = p.buffer(1).at + 8;
  const rle = (100 << 3) | (1 << 1) | 1; // last block, RLE, 100 repetitions
  const skip = 32 - 10 - 8;
  p.bytes.set([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00, rle & 255, (rle >> 8) & 255, rle >> 16, 7], frame);
  p.bytes.set([0x50, 0x2a, 0x4d, 0x18, skip, 0, 0, 0], frame + 10);
  return p.bytes;
}

describe('hostile ZSTD bodies in Arrow IPC', () => {
  it('refuses a ZSTD frame that decodes to more bytes than the buffer prefix declares as ARROW.CORRUPT instead of cutting it short', async () => {
    expect(await codeOf(ingest(zstdFrameDecodingLong()))).toBe('ARROW.CORRUPT');
  });

  it('refuses a ZSTD frame that decodes to fewer bytes than its declared content size as ARROW.CORRUPT instead of padding with zeros', async () => {
    expect(await codeOf(ingest(zstdFrameShortOfItsContentSize()))).toBe('ARROW.CORRUPT');
  });

  it('refuses a ZSTD frame without a content size that decodes to fewer bytes than the buffer prefix declares as ARROW.CORRUPT', async () => {
    expect(await codeOf(ingest(zstdFrameWithoutContentSizeDecodingShort()))).toBe('ARROW.CORRUPT');
  });
});

describe('hostile LZ4 frames', () => {
  it('refuses a match in a second LZ4 frame that reaches back into the first frame, as the LZ4 frame format does', () => {
    const frame = (blockSize: number, block: number[]) => [
      0x04,
      0x22,
      0x4d,
      0x18,
      0x60,
      0x40,
      0x00,
      ...[blockSize & 255, 0, 0, blockSize >>> 24],
      ...block,
      0,
      0,
      0,
      0,
    ];
    const first = frame(4 | 0x80000000, [9, 8, 7, 6]); // a stored block of 4 bytes
    const second = frame(5, [0x00, 4, 0, 0x10, 5]); // a match 4 bytes back, then one literal
    expect(() => decodeLz4Frames(new Uint8Array([...first, ...second]), 9)).toThrow(/LZ4/);
  });
});
