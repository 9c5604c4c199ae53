import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  merkleTree,
  proveMembership,
  sortedDistinct,
  verifyMembership,
} from '../../../functions/core/leakage/merkle.js';
import { proofFromWire, proofToWire } from '../../../functions/core/leakage/proof-wire.js';

const tree = merkleTree(sortedDistinct(randomBytes(13 * 32)));
const member = tree.identities.slice(5 * 32, 6 * 32);

describe('membership proofs as JSON', () => {
  it('round-trips a member proof and a non-member proof through their hex wire form', () => {
    for (const id of [member, randomBytes(32)]) {
      const proof = proveMembership(tree, id);
      const wire = JSON.parse(JSON.stringify(proofToWire(proof)));
      expect(proofFromWire(wire)).toEqual(proof);
      expect(verifyMembership(id, proofFromWire(wire), tree)).toBe(true);
    }
  });

  it('refuses, without throwing, a proof whose path entries are shorter or longer than 32 bytes', () => {
    const wire = proofToWire(proveMembership(tree, member));
    if (!wire.member) throw new Error('expected a member proof');
    for (const entry of [wire.leaf.path[0]!.slice(0, 62), `${wire.leaf.path[0]}00`, '']) {
      const bad = { ...wire, leaf: { ...wire.leaf, path: [entry, ...wire.leaf.path.slice(1)] } };
      expect(verifyMembership(member, proofFromWire(bad), tree)).toBe(false);
    }
  });
});
