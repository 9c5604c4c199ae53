import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  inclusionPath,
  merkleRoot,
  merkleTree,
  proveMembership,
  rootFromPath,
  sortedDistinct,
  verifyMembership,
} from '../../../functions/core/leakage/merkle.js';

const sha = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const ids = (n: number) => sortedDistinct(randomBytes(n * 32));

/** RFC 9162 §2.1.1's recursive Merkle Tree Hash, written independently to check the level walk. */
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return sha(Buffer.of(0), leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

describe('Merkle tree over identities', () => {
  it('has the root of RFC 9162 recursive hashing for every size from 0 to 70', () => {
    for (let m = 0; m <= 70; m++) {
      const set = ids(m);
      const leaves = Array.from({ length: m }, (_, i) => set.subarray(i * 32, i * 32 + 32));
      expect(Buffer.from(merkleTree(set).root).toString('hex')).toBe(
        Buffer.from(mth(leaves)).toString('hex'),
      );
    }
  });

  it('sorts and deduplicates identities bytewise', () => {
    const a = Buffer.alloc(32, 2);
    const b = Buffer.alloc(32, 1);
    const c = Buffer.from(a);
    c[31] = 0;
    const out = sortedDistinct(Buffer.concat([a, b, a, c]));
    expect(Buffer.from(out).toString('hex')).toBe(Buffer.concat([b, c, a]).toString('hex'));
  });

  it('proves every member and every non-member, and rejects any tampered proof', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.nat(), (m, pick) => {
        const tree = merkleTree(ids(m));
        for (let i = 0; i < m; i++) {
          const id = tree.identities.slice(i * 32, i * 32 + 32);
          const proof = proveMembership(tree, id);
          expect(proof.member).toBe(true);
          expect(verifyMembership(id, proof, tree)).toBe(true);
        }
        const stranger = randomBytes(32);
        const absent = proveMembership(tree, stranger);
        expect(absent.member).toBe(false);
        expect(verifyMembership(stranger, absent, tree)).toBe(true);
        if (m > 1) {
          const i = pick % m;
          const id = tree.identities.slice(i * 32, i * 32 + 32);
          const proof = proveMembership(tree, id);
          if (!proof.member) throw new Error('expected a member');
          const path = proof.leaf.path.map((p) => Uint8Array.from(p));
          path[pick % path.length]![pick % 32]! ^= 1;
          expect(verifyMembership(id, { ...proof, leaf: { ...proof.leaf, path } }, tree)).toBe(false);
          expect(verifyMembership(id, proof, { root: tree.root, size: m + 1 })).toBe(false);
          // A member cannot be passed off as absent: its neighbours are not adjacent.
          const lie = proveMembership(merkleTree(ids(0)), id);
          expect(verifyMembership(id, lie, tree)).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a non-inclusion proof whose neighbours skip a leaf', () => {
    const tree = merkleTree(ids(8));
    const below = { identity: tree.identities.slice(64, 96), index: 2, path: inclusionPath(tree, 2) };
    const above = { identity: tree.identities.slice(128, 160), index: 4, path: inclusionPath(tree, 4) };
    const between = tree.identities.slice(96, 128);
    expect(verifyMembership(between, { member: false, size: 8, below, above }, tree)).toBe(false);
  });

  it('recomputes nothing from a path of the wrong length', () => {
    const tree = merkleTree(ids(5));
    const path = inclusionPath(tree, 4);
    expect(rootFromPath(tree.identities.slice(128, 160), 4, 5, [...path, path[0]!])).toBeNull();
    expect(rootFromPath(tree.identities.slice(128, 160), 5, 5, path)).toBeNull();
  });
});

describe('merkleRoot', () => {
  it.each([0, 1, 2, 3, 5, 8, 13, 100])('gives the root of the whole tree for %i leaves', (n) => {
    const set = ids(n);
    expect(Buffer.from(merkleRoot(set)).equals(Buffer.from(merkleTree(set).root))).toBe(true);
  });
});
