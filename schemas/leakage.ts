import * as z from 'zod';
import { Sha256, SplitName } from './common.js';

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

/** The type tag of a leakage report document (docs/SPLIT-SPEC.md §8.4). */
export const LEAKAGE_REPORT_TYPE = 'splitvault.leakage-report.v1';

/** At most this many examples per pair of splits and per key overlap. */
export const MAX_LEAKAGE_EXAMPLES = 20;

/** One split in a leakage report: its identities and how many of its rows repeat another. */
export const SplitLeakage = SplitIdentities.extend({
  /** rows − distinct: rows whose identity an earlier row of the same split already has. */
  duplicateRows: z.number().int().nonnegative(),
});
export type SplitLeakage = z.infer<typeof SplitLeakage>;

/** An identity two splits share, with the smallest source row number holding it in each. */
export const SharedRow = z.object({
  identity: Sha256,
  rows: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});
export type SharedRow = z.infer<typeof SharedRow>;

/** Exact duplicates across one pair of splits, in `splits` order. */
export const PairLeakage = z.object({
  splits: z.tuple([SplitName, SplitName]),
  /** Distinct identities present in both splits. */
  sharedIdentities: z.number().int().nonnegative(),
  /** Rows of each split whose identity the other split also holds. */
  rows: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  /** Up to 20, by ascending row number in the first split. */
  examples: z.array(SharedRow).max(MAX_LEAKAGE_EXAMPLES),
});
export type PairLeakage = z.infer<typeof PairLeakage>;

/** group, stratified-group and hash splits: key values found in more than one split. */
export const KeyLeakage = z.object({
  column: z.string(),
  sharedKeys: z.number().int().nonnegative(),
  /** Up to 20, in ascending bytewise key order; `key` is the hex of the §2.3 key bytes. */
  examples: z
    .array(z.object({ key: z.string(), splits: z.array(SplitName).min(2) }))
    .max(MAX_LEAKAGE_EXAMPLES),
});
export type KeyLeakage = z.infer<typeof KeyLeakage>;

/**
 * The leakage report of one freeze (docs/SPLIT-SPEC.md §8.4), stored as a content-addressed
 * RFC 8785 document; the manifest's record names its address, the manifest content does not.
 */
export const LeakageReport = z.object({
  type: z.literal(LEAKAGE_REPORT_TYPE),
  manifestId: Sha256,
  splits: z.object({ train: SplitLeakage, validation: SplitLeakage, test: SplitLeakage }),
  /** train/validation, train/test, validation/test, in that order. */
  pairs: z.array(PairLeakage).length(3),
  keys: KeyLeakage.optional(),
});
export type LeakageReport = z.infer<typeof LeakageReport>;
