import { describe, expect, it } from 'vitest';
import { fisherYates, splitmix64, streamFor } from '../../../functions/core/split/prng.js';
import { iota } from '../../../functions/core/split/random.js';

const hex = ([h, l]: [number, number]): string =>
  h.toString(16).padStart(8, '0') + l.toString(16).padStart(8, '0');

describe('splitmix64', () => {
  it.each([
    [0n, ['e220a8397b1dcdaf', '6e789e6aa1b965f4', '06c45d188009454f']],
    [0x123456789abcdef0n, null],
    [0xffffffffffffffffn, null],
  ])('matches a 64-bit BigInt reference from state %s', (seed, published) => {
    const mask = (1n << 64n) - 1n;
    let s = seed;
    const ref = (): bigint => {
      s = (s + 0x9e3779b97f4a7c15n) & mask;
      let z = ((s ^ (s >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
      return z ^ (z >> 31n);
    };
    const prng = splitmix64(Number(seed >> 32n), Number(seed & 0xffffffffn));
    const ours = Array.from({ length: 1000 }, () => hex(prng.next64()));
    expect(ours).toEqual(Array.from({ length: 1000 }, () => ref().toString(16).padStart(16, '0')));
    if (published) expect(ours.slice(0, 3)).toEqual(published);
  });

  it.each([[42, 'random', ['b34be47e5608b79d', 'b96f6e4d67b29071', 'e137d2ebd39b627e']]])(
    'seeds the stream of seed %i and purpose %s from SHA-256 as the spec documents',
    (seed, purpose, first) => {
      const prng = streamFor(seed, purpose);
      expect(first.map(() => hex(prng.next64()))).toEqual(first);
    },
  );

  it('shuffles 0..9 with seed 42 into the documented test vector', () => {
    expect(Array.from(fisherYates(iota(10), streamFor(42, 'random')))).toEqual([
      2, 5, 4, 1, 0, 7, 6, 9, 3, 8,
    ]);
  });

  it.each([1, 2, 3, 7, 1000, 2 ** 31 + 1, 2 ** 32])('draws below %i always within range', (bound) => {
    const prng = streamFor(1, 'bounds');
    for (let i = 0; i < 2000; i++) {
      const x = prng.below(bound);
      expect(x >= 0 && x < bound && Number.isInteger(x)).toBe(true);
    }
  });

  it('gives different streams for different purposes of the same seed', () => {
    expect(hex(streamFor(5, 'random').next64())).not.toBe(hex(streamFor(5, 'group').next64()));
  });
});
