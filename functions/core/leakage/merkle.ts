import { hash } from 'node:crypto';
import { sha256Small } from './sha256-small.js';

/**
 * Merkle trees over a split's row identities (docs/SPLIT-SPEC.md §8.3): the leaves are the
 * split's distinct identities in ascending bytewise order, hashed with a 0x00 prefix; a node
 * hashes 0x01 and its two children; a level of odd length carries its last node up unchanged.
 * That is the tree shape of RFC 9162 §2.1.1, so its proofs have the same size, log2(n) hashes.
 */

/**
 * Bytes of one identity (row-identity.ts's IDENTITY_BYTES), not imported from there: the API
 * serves proofs with this file, and row-identity.ts would bring apache-arrow into its bundle.
 */
const IDENTITY_BYTES = 32;

const EMPTY_ROOT = hash('sha256', new Uint8Array(0), 'buffer');

// One scratch input for every hash: a tree of m leaves hashes 2m times, and building each input
// with Buffer.concat took about a third of the time.
const LEAF_INPUT = Buffer.alloc(1 + IDENTITY_BYTES);
const NODE_INPUT = Buffer.alloc(1 + 64);
NODE_INPUT[0] = 1;

function leafHash(id: Uint8Array): Uint8Array {
  if (id.length !== IDENTITY_BYTES) return hash('sha256', Buffer.concat([Buffer.of(0), id]), 'buffer');
  LEAF_INPUT.set(id, 1);
  return hash('sha256', LEAF_INPUT, 'buffer');
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  // A proof's path entries come from outside: any length hashes as written, never with stale bytes.
  if (left.length !== 32 || right.length !== 32) {
    return hash('sha256', Buffer.concat([Buffer.of(1), left, right]), 'buffer');
  }
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 33);
  return hash('sha256', NODE_INPUT, 'buffer');
}

/** Bytewise order of 32-byte identities a and b (negative, 0, positive). */
export function compareIdentities(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/**
 * The distinct identities of `ids` (32-byte records) in ascending bytewise order. Sorts on the
 * first 8 bytes as two 32-bit words and compares whole identities only on a tie, which for
 * SHA-256 outputs means a duplicate row.
 */
export function sortedDistinct(ids: Uint8Array): Uint8Array {
  const n = ids.length / IDENTITY_BYTES;
  const view = new DataView(ids.buffer, ids.byteOffset, ids.byteLength);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    hi[i] = view.getUint32(i * IDENTITY_BYTES, false);
    lo[i] = view.getUint32(i * IDENTITY_BYTES + 4, false);
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const at = (i: number) => ids.subarray(i * IDENTITY_BYTES, (i + 1) * IDENTITY_BYTES);
  order.sort((a, b) => hi[a]! - hi[b]! || lo[a]! - lo[b]! || compareIdentities(at(a), at(b)));
  const out = new Uint8Array(n * IDENTITY_BYTES);
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const id = at(order[k]!);
    if (kept > 0 && compareIdentities(out.subarray((kept - 1) * 32, kept * 32), id) === 0) continue;
    out.set(id, kept * IDENTITY_BYTES);
    kept += 1;
  }
  return out.slice(0, kept * IDENTITY_BYTES);
}

/** A whole tree: `levels[0]` the leaf hashes, the last level the root alone (none when empty). */
export interface MerkleTree {
  /** Distinct identities, ascending: leaf i is identity i. */
  readonly identities: Uint8Array;
  readonly size: number;
  readonly root: Uint8Array;
  /** Level j as concatenated 32-byte hashes, of length ceil(size / 2^j) nodes. */
  readonly levels: readonly Uint8Array[];
}

// Whole levels hash with sha256Small (same bytes as leafHash and nodeHash, a third of the cost),
// from their own scratch input.
const INPUT = Buffer.alloc(65);

function leafLevel(identities: Uint8Array): Uint8Array {
  const size = identities.length / IDENTITY_BYTES;
  const level = new Uint8Array(size * 32);
  INPUT[0] = 0;
  for (let i = 0; i < size; i++) {
    INPUT.set(identities.subarray(i * 32, i * 32 + 32), 1);
    sha256Small(INPUT, 0, 33, level, i * 32);
  }
  return level;
}

/** The level above: pairs hashed from the start, an odd last node carried up unchanged. */
function nextLevel(level: Uint8Array): Uint8Array {
  const nodes = level.length / 32;
  const next = new Uint8Array(Math.ceil(nodes / 2) * 32);
  INPUT[0] = 1;
  for (let i = 0; i + 1 < nodes; i += 2) {
    INPUT.set(level.subarray(i * 32, i * 32 + 64), 1);
    sha256Small(INPUT, 0, 65, next, i * 16);
  }
  if (nodes % 2 === 1) next.set(level.subarray((nodes - 1) * 32), (nodes - 1) * 16);
  return next;
}

/** Builds the tree over identities already sorted and distinct (see sortedDistinct). */
export function merkleTree(identities: Uint8Array): MerkleTree {
  const size = identities.length / IDENTITY_BYTES;
  if (size === 0) return { identities, size, root: EMPTY_ROOT, levels: [] };
  let level = leafLevel(identities);
  const levels = [level];
  while (level.length > 32) {
    level = nextLevel(level);
    levels.push(level);
  }
  return { identities, size, root: level, levels };
}

/**
 * The root alone, as merkleTree computes it, keeping one level at a time: what a freeze
 * records, in about a quarter of the memory a whole tree holds for a large split.
 */
export function merkleRoot(identities: Uint8Array): Uint8Array {
  if (identities.length === 0) return EMPTY_ROOT;
  let level = leafLevel(identities);
  while (level.length > 32) level = nextLevel(level);
  return level;
}

/** The sibling hashes from leaf `index` up to the root, bottom first (carried levels add none). */
export function inclusionPath(tree: MerkleTree, index: number): Uint8Array[] {
  const path: Uint8Array[] = [];
  let i = index;
  for (const level of tree.levels.slice(0, -1)) {
    const nodes = level.length / 32;
    const sibling = i % 2 === 1 ? i - 1 : i + 1;
    if (sibling < nodes) path.push(level.slice(sibling * 32, sibling * 32 + 32));
    i >>= 1;
  }
  return path;
}

/** Recomputes the root from an identity, its leaf index, the tree size and the path. */
export function rootFromPath(
  id: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
): Uint8Array | null {
  if (!Number.isInteger(index) || index < 0 || index >= size) return null;
  let h = leafHash(id);
  let i = index;
  let nodes = size;
  let k = 0;
  while (nodes > 1) {
    if (i % 2 === 1) {
      const left = path[k++];
      if (!left) return null;
      h = nodeHash(left, h);
    } else if (i + 1 < nodes) {
      const right = path[k++];
      if (!right) return null;
      h = nodeHash(h, right);
    }
    i >>= 1;
    nodes = Math.ceil(nodes / 2);
  }
  return k === path.length ? h : null;
}

/** One leaf and the path that places it under the root. */
export interface LeafProof {
  readonly identity: Uint8Array;
  readonly index: number;
  readonly path: readonly Uint8Array[];
}

/**
 * Membership of `id`: the leaf itself when present; otherwise its neighbours in sorted order
 * (the greatest identity below it and the least above it, each present when it exists), whose
 * adjacent indices show that nothing lies between them.
 */
export type MembershipProof =
  | { readonly member: true; readonly size: number; readonly leaf: LeafProof }
  | { readonly member: false; readonly size: number; readonly below?: LeafProof; readonly above?: LeafProof };

function leafProof(tree: MerkleTree, index: number): LeafProof {
  return {
    identity: tree.identities.slice(index * 32, index * 32 + 32),
    index,
    path: inclusionPath(tree, index),
  };
}

/** Number of identities in the tree strictly below `id` (binary search). */
function rank(tree: MerkleTree, id: Uint8Array): number {
  let lo = 0;
  let hi = tree.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIdentities(tree.identities.subarray(mid * 32, mid * 32 + 32), id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Proves whether `id` is a leaf of `tree`. */
export function proveMembership(tree: MerkleTree, id: Uint8Array): MembershipProof {
  const p = rank(tree, id);
  if (p < tree.size && compareIdentities(tree.identities.subarray(p * 32, p * 32 + 32), id) === 0) {
    return { member: true, size: tree.size, leaf: leafProof(tree, p) };
  }
  return {
    member: false,
    size: tree.size,
    ...(p > 0 ? { below: leafProof(tree, p - 1) } : {}),
    ...(p < tree.size ? { above: leafProof(tree, p) } : {}),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareIdentities(a, b) === 0;
}

function placed(leaf: LeafProof | undefined, size: number, root: Uint8Array): boolean {
  if (leaf === undefined) return false;
  if (leaf.identity.length !== 32) return false;
  const got = rootFromPath(leaf.identity, leaf.index, size, leaf.path);
  return got !== null && sameBytes(got, root);
}

/** What a verifier must get from a trusted source (the leakage report), never from the proof. */
export interface TrustedTree {
  readonly root: Uint8Array;
  readonly size: number;
}

/**
 * Checks a proof against a tree the verifier trusts: true when it proves what it claims about
 * `id`, false for any proof that does not, tampered or not. The size is part of what is trusted:
 * a leaf's path can also fit another size, and adjacency at the ends depends on it.
 */
export function verifyMembership(id: Uint8Array, proof: MembershipProof, trusted: TrustedTree): boolean {
  const { size, root } = trusted;
  if (proof.size !== size || !Number.isInteger(size) || size < 0) return false;
  if (proof.member) {
    return sameBytes(proof.leaf.identity, id) && placed(proof.leaf, size, root);
  }
  if (size === 0) return !proof.below && !proof.above && sameBytes(root, EMPTY_ROOT);
  const { below, above } = proof;
  if (below && !(placed(below, size, root) && compareIdentities(below.identity, id) < 0)) return false;
  if (above && !(placed(above, size, root) && compareIdentities(id, above.identity) < 0)) return false;
  if (below && above) return above.index === below.index + 1;
  if (below) return below.index === size - 1;
  if (above) return above.index === 0;
  return false;
}
