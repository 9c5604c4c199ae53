import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Small } from '../../../functions/core/leakage/sha256-small.js';

describe('sha256Small', () => {
  it.each(Array.from({ length: 120 }, (_, n) => n))('hashes %i bytes as node:crypto does', (length) => {
    for (let round = 0; round < 20; round++) {
      const message = randomBytes(length + 7);
      const out = new Uint8Array(40);
      sha256Small(message, 3, length, out, 5);
      const expected = createHash('sha256')
        .update(message.subarray(3, 3 + length))
        .digest();
      expect(Buffer.from(out.subarray(5, 37)).equals(expected)).toBe(true);
    }
  });

  it('refuses a message longer than two padded blocks', () => {
    expect(() => sha256Small(new Uint8Array(120), 0, 120, new Uint8Array(32), 0)).toThrow(RangeError);
  });
});
