import * as z from 'zod';
import { Sha256 } from './common.js';
import { DatasetFileRef, MAX_DATASET_FILES } from './dataset-file.js';
import { DatasetFormat, SplitSpec } from './spec.js';

/** One column of a dataset or split, as Arrow describes it (type is Arrow's type string). */
export const FieldInfo = z.object({ name: z.string(), type: z.string(), nullable: z.boolean() });
export type FieldInfo = z.infer<typeof FieldInfo>;

export const SplitArtifact = z.object({
  sha256: Sha256,
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
});
export type SplitArtifact = z.infer<typeof SplitArtifact>;

/**
 * One class of a stratified-group split: its canonical key (SPLIT-SPEC.md §2.3) as lower-case
 * hex of the key bytes, its share of the dataset and its share of each split (0 for a split
 * with no rows); every share is one double division.
 */
export const ClassShare = z.object({
  key: z.string().regex(/^(?:[0-9a-f]{2})+$/),
  overall: z.number(),
  train: z.number(),
  validation: z.number(),
  test: z.number(),
});
export type ClassShare = z.infer<typeof ClassShare>;

const SplitCounts = z.object({
  train: z.number().int().nonnegative(),
  validation: z.number().int().nonnegative(),
  test: z.number().int().nonnegative(),
});

/**
 * A sticky re-freeze's drift report (SPLIT-SPEC.md §8.5): the parent it kept rows from, the
 * identity it matched rows by (`by` a key column; absent, the whole row) and, per split, the
 * rows kept from the parent, the rows added, and the parent's rows the dataset no longer holds.
 */
export const StickyReport = z.object({
  parent: Sha256,
  by: z.string().optional(),
  kept: SplitCounts,
  added: SplitCounts,
  removed: SplitCounts,
});
export type StickyReport = z.infer<typeof StickyReport>;

/**
 * The canonical manifest content: what the manifest id is the SHA-256 of (RFC 8785 JSON).
 * Who, when, why, provenance and environment are deliberately absent so that the same
 * data and spec always give the same id.
 */
export const ManifestContent = z.object({
  algorithm: z.literal('split-v1'),
  dataset: z.object({
    sha256: Sha256,
    bytes: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
    format: DatasetFormat,
    schema: z.array(FieldInfo),
    /** A many-file dataset's files in row order; absent for one file, so its id is unchanged. */
    files: z.array(DatasetFileRef).min(2).max(MAX_DATASET_FILES).optional(),
  }),
  spec: SplitSpec,
  splits: z.object({ train: SplitArtifact, validation: SplitArtifact, test: SplitArtifact }),
  achievedRatios: z.object({ train: z.number(), validation: z.number(), test: z.number() }),
  /** Present only for stratified-group, so no other strategy's manifest id changes. */
  classShares: z.array(ClassShare).optional(),
  /** Present only for a sticky re-freeze, so no other manifest id changes. */
  sticky: StickyReport.optional(),
});
export type ManifestContent = z.infer<typeof ManifestContent>;

export const Manifest = ManifestContent.extend({ id: Sha256 });
export type Manifest = z.infer<typeof Manifest>;
