import * as z from 'zod';
import { Sha256, SplitName } from './common.js';

/**
 * The answer of `GET /v1/splits/{id}/{split}/membership` (docs/SPLIT-SPEC.md §8.6): identities
 * and hashes as 64 lower-case hex characters. Its root and size are the server's word only; a
 * verifier checks the proof against the root and size of the split's recorded identities
 * (`GET /v1/splits/{id}/{split}/identities`, the leakage report's `SplitIdentities`). Apart from
 * schemas/membership.ts because only the client and the OpenAPI document read it: the API
 * Lambda bundles every zod schema its routes import, and it has little room to spare.
 */

/** One leaf of the tree and the sibling hashes from it up to the root, bottom first. */
export const LeafProofView = z.object({
  identity: Sha256,
  index: z.number().int().nonnegative(),
  path: z.array(Sha256),
});
export type LeafProofView = z.infer<typeof LeafProofView>;

const Answer = {
  manifestId: Sha256,
  split: SplitName,
  row: Sha256,
  /** Leaves of the tree: the split's distinct identities. */
  size: z.number().int().nonnegative(),
  root: Sha256,
};

/**
 * Whether the row is in the split: the leaf that is it, or the leaves just below and above it
 * in sorted order (either absent at an end; both absent for an empty split).
 */
export const MembershipView = z.discriminatedUnion('member', [
  z.object({ ...Answer, member: z.literal(true), leaf: LeafProofView }),
  z.object({
    ...Answer,
    member: z.literal(false),
    below: LeafProofView.optional(),
    above: LeafProofView.optional(),
  }),
]);
export type MembershipView = z.infer<typeof MembershipView>;
