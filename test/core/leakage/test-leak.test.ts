import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedDistinct } from '../../../functions/core/leakage/merkle.js';
import { findTestLeak, MAX_LEAK_EXAMPLES } from '../../../functions/core/leakage/test-leak.js';

const ids = (n: number) => sortedDistinct(randomBytes(n * 32));
const at = (set: Uint8Array, i: number) => set.subarray(i * 32, i * 32 + 32);
const hex = (id: Uint8Array) => Buffer.from(id).toString('hex');
const concat = (...parts: Uint8Array[]) => sortedDistinct(Buffer.concat(parts));

/** Streams `set` in chunks of `size` bytes, cut anywhere, re-readable. */
const chunked = (set: Uint8Array, size: number) =>
  async function* () {
    for (let i = 0; i < set.length; i += size) yield set.subarray(i, i + size);
  };

describe('findTestLeak', () => {
  it('finds the one former test identity in train and names it and its split', async () => {
    const test = ids(50);
    const moved = at(test, 17);
    const train = concat(ids(400), moved);
    const validation = ids(50);
    const leak = await findTestLeak(chunked(test, 1 << 20), [
      { split: 'train', identities: chunked(train, 1 << 20) },
      { split: 'validation', identities: chunked(validation, 1 << 20) },
    ]);
    expect(leak).toEqual({ count: 1, examples: [{ identity: hex(moved), split: 'train' }] });
  });

  it('counts every leak exactly but lists at most twenty, train first, ascending within a split', async () => {
    const test = ids(100);
    const train = concat(ids(300), test.subarray(0, 30 * 32));
    const validation = concat(ids(30), test.subarray(90 * 32));
    const leak = await findTestLeak(chunked(test, 4096), [
      { split: 'train', identities: chunked(train, 4096) },
      { split: 'validation', identities: chunked(validation, 4096) },
    ]);
    expect(leak.count).toBe(40);
    expect(leak.examples).toHaveLength(MAX_LEAK_EXAMPLES);
    expect(leak.examples.map((e) => e.identity)).toEqual(
      Array.from({ length: MAX_LEAK_EXAMPLES }, (_, i) => hex(at(test, i))),
    );
    expect(new Set(leak.examples.map((e) => e.split))).toEqual(new Set(['train']));
  });

  it('finds the same leaks whatever chunk sizes the sets arrive in', async () => {
    const test = ids(60);
    const train = concat(ids(200), test.subarray(5 * 32, 25 * 32));
    const validation = concat(ids(40), at(test, 59));
    const whole = await findTestLeak(chunked(test, test.length), [
      { split: 'train', identities: chunked(train, train.length) },
      { split: 'validation', identities: chunked(validation, validation.length) },
    ]);
    expect(whole.count).toBe(21);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), async (a, b) => {
        const leak = await findTestLeak(chunked(test, a), [
          { split: 'train', identities: chunked(train, b) },
          { split: 'validation', identities: chunked(validation, a + b) },
        ]);
        expect(leak).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });

  it('reports no leak between disjoint sets and with an empty test set', async () => {
    const none = async function* () {};
    expect(
      await findTestLeak(chunked(ids(10), 64), [{ split: 'train', identities: chunked(ids(10), 64) }]),
    ).toEqual({
      count: 0,
      examples: [],
    });
    expect(await findTestLeak(none, [{ split: 'train', identities: chunked(ids(10), 64) }])).toEqual({
      count: 0,
      examples: [],
    });
  });

  it.each([
    ['out of order', (set: Uint8Array) => Buffer.concat([at(set, 1), at(set, 0)])],
    ['with a repeated identity', (set: Uint8Array) => Buffer.concat([at(set, 0), at(set, 0)])],
    ['cut mid-identity', (set: Uint8Array) => set.subarray(0, 40)],
  ])('refuses an identity set %s rather than miss a leak', async (_label, spoil) => {
    // A test set holding the highest identity makes the merge read all of train.
    const test = new Uint8Array(32).fill(0xff);
    const train = spoil(ids(2));
    await expect(
      findTestLeak(chunked(test, 7), [{ split: 'train', identities: chunked(train, 7) }]),
    ).rejects.toMatchObject({ code: 'BLOB.INTEGRITY' });
  });
});
