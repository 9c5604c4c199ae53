import { describe, expect, it } from 'vitest';
import { decompressPage } from '../../../functions/core/ingest/parquet-dictionary.js';
import { unzstdInto } from '../../../functions/core/ingest/unzstd.js';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const PARQUET_ZSTD = 6;

/** A zstd frame of one raw (stored) block holding `content`, with or without a content size. */
function rawFrame(content: number[], contentSize = true, windowDescriptor = 0x00): number[] {
  const header = (content.length << 3) | 1; // last block, raw
  const block = [header & 255, (header >> 8) & 255, header >> 16, ...content];
  // Single segment with a 1-byte content size, or a window descriptor and no content size.
  const descriptor = contentSize ? [0x20, content.length] : [0x00, windowDescriptor];
  return [...MAGIC, ...descriptor, ...block];
}

describe('zstd bodies', () => {
  it('decodes every frame of a body with several, each after the one before', () => {
    const body = new Uint8Array([...rawFrame([1, 2, 3]), ...rawFrame([4, 5], false)]);
    expect([...unzstdInto(body, 5)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('skips a skippable frame between two frames', () => {
    const skippable = [0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 0xee, 0xee];
    const body = new Uint8Array([...rawFrame([1, 2]), ...skippable, ...rawFrame([3])]);
    expect([...unzstdInto(body, 3)]).toEqual([1, 2, 3]);
  });

  it('refuses a body that decodes to fewer bytes than declared instead of padding it with zeros', () => {
    expect(() => unzstdInto(new Uint8Array(rawFrame([1, 2, 3], false)), 4)).toThrow(
      'a ZSTD body decompresses to 3 bytes, not the 4 declared',
    );
  });

  it('refuses a body that decodes to more bytes than declared instead of cutting it', () => {
    expect(() => unzstdInto(new Uint8Array(rawFrame([1, 2, 3], false)), 2)).toThrow(
      'a ZSTD body decompresses to more than the 2 bytes declared',
    );
  });

  it('refuses a frame naming a window over 8 MiB before allocating it', () => {
    // Window descriptor 0x70: 2^(10 + 14) = 16 MiB.
    expect(() => unzstdInto(new Uint8Array(rawFrame([1], false, 0x70)), 1)).toThrow(/16777216-byte window/);
  });

  it('refuses a zstd Parquet dictionary page that decodes to fewer bytes than its header says', () => {
    expect(() => decompressPage(new Uint8Array(rawFrame([1, 2, 3], false)), PARQUET_ZSTD, 8)).toThrow(
      'a ZSTD body decompresses to 3 bytes, not the 8 declared',
    );
  });

  it('refuses a zstd Parquet dictionary page that decodes to more bytes than its header says', () => {
    expect(() => decompressPage(new Uint8Array(rawFrame([1, 2, 3], false)), PARQUET_ZSTD, 2)).toThrow(
      'a ZSTD body decompresses to more than the 2 bytes declared',
    );
  });
});
