import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MerkleTreeCache } from '../../functions/api/merkle-tree-cache.js';
import { type MerkleTree, merkleTree, sortedDistinct } from '../../functions/core/leakage/merkle.js';

/** A tree of n leaves: n × 32 identity bytes and about 2n × 32 bytes of hashes. */
const treeOf = (n: number) => merkleTree(sortedDistinct(randomBytes(n * 32)));
const bytesOf = (t: MerkleTree) => t.levels.reduce((s, l) => s + l.byteLength, t.identities.byteLength);

/** A cache whose builds are counted per address. */
function counted(maxBytes: number, sizes: Record<string, number>) {
  const builds: string[] = [];
  const cache = new MerkleTreeCache(maxBytes);
  const get = (address: string) =>
    cache.get(address, async () => {
      builds.push(address);
      return treeOf(sizes[address]!);
    });
  return { builds, get };
}

describe('the Merkle tree cache', () => {
  it('builds a tree once for concurrent and later requests', async () => {
    const { builds, get } = counted(1 << 20, { a: 100 });
    const [x, y] = await Promise.all([get('a'), get('a')]);
    expect(x).toBe(y);
    await get('a');
    expect(builds).toEqual(['a']);
  });

  it('evicts the least recently used tree once the budget is exceeded', async () => {
    const size = bytesOf(treeOf(100));
    const { builds, get } = counted(size * 2, { a: 100, b: 100, c: 100 });
    await get('a');
    await get('b');
    await get('a'); // a is now more recent than b
    await get('c'); // over budget: b goes
    await get('a');
    await get('b');
    expect(builds).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not keep a tree bigger than the whole budget', async () => {
    const { builds, get } = counted(1000, { big: 100 });
    await get('big');
    await get('big');
    expect(builds).toEqual(['big', 'big']);
  });

  it('forgets a build that failed, so the next request tries again', async () => {
    const cache = new MerkleTreeCache();
    await expect(cache.get('a', async () => Promise.reject(new Error('unavailable')))).rejects.toThrow(
      'unavailable',
    );
    await expect(cache.get('a', async () => treeOf(3))).resolves.toMatchObject({ size: 3 });
  });
});
