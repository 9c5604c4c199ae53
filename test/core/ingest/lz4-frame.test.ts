import { describe, expect, it } from 'vitest';
import { decodeLz4Frames } from '../../../functions/core/ingest/lz4-frame.js';

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const MAGIC = u32(0x184d2204);
/** FLG: version 01, independent blocks; BD: 64 KiB blocks; then the (unchecked) header checksum. */
const HEADER = [...MAGIC, 0x60, 0x40, 0x00];
const END = u32(0);
/** "ab" as literals, then a 6-byte match 2 back (overlapping itself), then "c": "ababababc". */
const BLOCK = [0x22, 0x61, 0x62, 0x02, 0x00, 0x10, 0x63];
const frame = (...blocks: number[][]) =>
  Uint8Array.from([...HEADER, ...blocks.flatMap((b) => [...u32(b.length), ...b]), ...END]);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('the LZ4 frame decoder', () => {
  it('decodes literals and an overlapping match into exactly the declared bytes', () => {
    expect(text(decodeLz4Frames(frame(BLOCK), 9))).toBe('ababababc');
  });

  it('decodes a stored block, a skippable frame and a second frame one after the other', () => {
    const stored = Uint8Array.from([...HEADER, ...u32(0x80000003), 0x78, 0x79, 0x7a, ...END]);
    const skippable = [...u32(0x184d2a5f), ...u32(2), 0xee, 0xee];
    const bytes = Uint8Array.from([...frame(BLOCK), ...skippable, ...stored]);
    expect(text(decodeLz4Frames(bytes, 12))).toBe('ababababcxyz');
  });

  it('checks a frame against the content size its descriptor declares', () => {
    const sized = (size: number) =>
      Uint8Array.from([
        ...MAGIC,
        0x68,
        0x40,
        ...u32(size),
        ...u32(0),
        0x00,
        ...u32(BLOCK.length),
        ...BLOCK,
        ...END,
      ]);
    expect(text(decodeLz4Frames(sized(9), 9))).toBe('ababababc');
    expect(() => decodeLz4Frames(sized(8), 9)).toThrow('not the 8 it declares');
  });

  it.each([
    ['more bytes than declared', frame(BLOCK), 8, 'more than the 8 bytes declared'],
    ['fewer bytes than declared', frame(BLOCK), 10, 'decompresses to 9 bytes, not the 10 declared'],
    ['a frame without its end mark', frame(BLOCK).subarray(0, 18), 9, 'truncated'],
    ['a block cut short', frame(BLOCK).subarray(0, 14), 9, 'truncated'],
    [
      'a match offset of zero',
      frame([0x22, 0x61, 0x62, 0x00, 0x00, 0x10, 0x63]),
      9,
      'points before the data',
    ],
    [
      'a match reaching before the output',
      frame([0x22, 0x61, 0x62, 0x09, 0x00, 0x10, 0x63]),
      9,
      'points before',
    ],
    ['a literal run past its block', frame([0xf0, 0xff, 0xff, 0x61]), 9, 'passes the end of its block'],
    ['a wrong magic number', Uint8Array.from([1, 2, 3, 4, 5, 6, 7]), 9, 'magic number'],
    ['reserved descriptor bits set', Uint8Array.from([...MAGIC, 0x62, 0x40, 0, ...END]), 0, 'reserved bits'],
    [
      'a block larger than its frame allows',
      Uint8Array.from([...HEADER, ...u32(0x80010001)]),
      9,
      'passes its frame',
    ],
  ])('refuses %s, never writing past the declared size', (_name, bytes, size, message) => {
    expect(() => decodeLz4Frames(bytes, size)).toThrow(message);
  });
});
