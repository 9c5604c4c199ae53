import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../functions/core/hash.js';

describe('sha256Hex', () => {
  it.each([
    [
      'the empty input',
      new Uint8Array(0),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    [
      '"abc" as bytes',
      new TextEncoder().encode('abc'),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    ],
    ['"abc" as a string', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('matches the published digest of %s', (_name, input, digest) => {
    expect(sha256Hex(input)).toBe(digest);
  });

  it('hashes a buffer larger than the 2 GiB that one Hash.update call accepts', () => {
    const big = new Uint8Array(2 ** 31 + 4096);
    big[big.length - 1] = 7;
    const reference = createHash('sha256');
    for (let offset = 0; offset < big.length; offset += 256 * 1024 * 1024) {
      reference.update(big.subarray(offset, offset + 256 * 1024 * 1024));
    }
    expect(sha256Hex(big)).toBe(reference.digest('hex'));
  });
});
