import type { MerkleTree } from '../core/leakage/merkle.js';

/**
 * Merkle trees by the address of their identity set, least recently used first out. Building
 * one hashes every row identity of a split (O(rows)); a proof then costs O(log rows), so one
 * process answers a split's later proofs from memory. A tree takes about 96 bytes per distinct
 * row (the identities and two levels' worth of hashes); the budget bounds their sum, and a tree
 * bigger than the whole budget is built for its request and not kept.
 */
export const DEFAULT_TREE_CACHE_BYTES = 256 * 1024 * 1024;

const bytesOf = (tree: MerkleTree) =>
  tree.levels.reduce((sum, level) => sum + level.byteLength, tree.identities.byteLength);

export class MerkleTreeCache {
  private readonly entries = new Map<string, { tree: Promise<MerkleTree>; bytes: number }>();
  private total = 0;

  constructor(private readonly maxBytes = DEFAULT_TREE_CACHE_BYTES) {}

  /** The tree of `address`, built once by `build` while requests for it share the same promise. */
  get(address: string, build: () => Promise<MerkleTree>): Promise<MerkleTree> {
    const hit = this.entries.get(address);
    if (hit) {
      this.entries.delete(address);
      this.entries.set(address, hit);
      return hit.tree;
    }
    const entry = { tree: build(), bytes: 0 };
    this.entries.set(address, entry);
    entry.tree.then(
      (tree) => this.settle(address, entry, bytesOf(tree)),
      () => this.drop(address, entry),
    );
    return entry.tree;
  }

  private settle(address: string, entry: { bytes: number }, bytes: number): void {
    if (this.entries.get(address) !== entry) return;
    entry.bytes = bytes;
    this.total += bytes;
    for (const [key, oldest] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.drop(key, oldest);
    }
  }

  private drop(address: string, entry: { bytes: number }): void {
    if (this.entries.get(address) !== entry) return;
    this.entries.delete(address);
    this.total -= entry.bytes;
  }
}
