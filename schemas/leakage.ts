import * as z from 'zod';
import { Sha256 } from './common.js';

/**
 * What a leakage report says of one split (docs/SPLIT-SPEC.md §8): the facts membership proofs
 * and test quarantine read. The report as a whole (duplicate counts, cross-split pairs, key
 * overlaps) extends this; these fields are the stable core other features rely on.
 */
export const SplitIdentities = z.object({
  /** The split file the identities describe (the manifest's splits[name].sha256). */
  sha256: Sha256,
  rows: z.number().int().nonnegative(),
  /** Distinct row identities: the Merkle tree's size. */
  distinct: z.number().int().nonnegative(),
  /** Root of the Merkle tree over the sorted distinct identities (§8.3), lower-case hex. */
  merkleRoot: Sha256,
  /**
   * Address of the identity set: a blob of `distinct` × 32 bytes, the sorted distinct
   * identities, stored content-addressed beside the split files.
   */
  identities: Sha256,
});
export type SplitIdentities = z.infer<typeof SplitIdentities>;
