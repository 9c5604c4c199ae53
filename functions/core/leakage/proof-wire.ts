import type { LeafProof, MembershipProof } from './merkle.js';

/**
 * Membership proofs as JSON (docs/SPLIT-SPEC.md §8.6): identities and hashes as lower-case hex.
 * Shapes only; what a proof proves is verifyMembership's to decide, against a trusted root.
 */

export interface LeafProofWire {
  readonly identity: string;
  readonly index: number;
  readonly path: readonly string[];
}

export type MembershipProofWire =
  | { readonly member: true; readonly size: number; readonly leaf: LeafProofWire }
  | {
      readonly member: false;
      readonly size: number;
      readonly below?: LeafProofWire;
      readonly above?: LeafProofWire;
    };

const toHex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

const leafToWire = (leaf: LeafProof): LeafProofWire => ({
  identity: toHex(leaf.identity),
  index: leaf.index,
  path: leaf.path.map(toHex),
});

const leafFromWire = (leaf: LeafProofWire): LeafProof => ({
  identity: fromHex(leaf.identity),
  index: leaf.index,
  path: leaf.path.map(fromHex),
});

export function proofToWire(proof: MembershipProof): MembershipProofWire {
  if (proof.member) return { member: true, size: proof.size, leaf: leafToWire(proof.leaf) };
  return {
    member: false,
    size: proof.size,
    ...(proof.below ? { below: leafToWire(proof.below) } : {}),
    ...(proof.above ? { above: leafToWire(proof.above) } : {}),
  };
}

/** The proof a JSON answer carries; hex is taken as given (the schema checked its form). */
export function proofFromWire(wire: MembershipProofWire): MembershipProof {
  if (wire.member) return { member: true, size: wire.size, leaf: leafFromWire(wire.leaf) };
  return {
    member: false,
    size: wire.size,
    ...(wire.below ? { below: leafFromWire(wire.below) } : {}),
    ...(wire.above ? { above: leafFromWire(wire.above) } : {}),
  };
}
