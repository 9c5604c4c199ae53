import { describe, expect, it } from 'vitest';
import { decodeLz4Frames } from '../../../functions/core/ingest/lz4-frame.js';

/** One LZ4 frame with the given FLG byte: a stored block of 4 bytes, then a block that copies them. */
function twoBlockFrame(flags: number): Uint8Array {
  const stored = [4, 0, 0, 0x80, 9, 8, 7, 6];
  const copy = [5, 0, 0, 0, 0x00, 4, 0, 0x10, 5]; // a match 4 bytes back, then one literal
  return new Uint8Array([0x04, 0x22, 0x4d, 0x18, flags, 0x40, 0x00, ...stored, ...copy, 0, 0, 0, 0]);
}

describe('LZ4 block independence', () => {
  it('refuses a match reaching into the previous block when the frame declares its blocks independent', () => {
    expect(() => decodeLz4Frames(twoBlockFrame(0x60), 9)).toThrow(/LZ4 match offset/);
  });

  it('reads a match reaching into the previous block of the same frame when blocks are linked', () => {
    expect([...decodeLz4Frames(twoBlockFrame(0x40), 9)]).toEqual([9, 8, 7, 6, 9, 8, 7, 6, 5]);
  });
});
