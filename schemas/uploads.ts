/**
 * Bodies of the multipart upload API (/v1/uploads), for datasets beyond one presigned PUT.
 * Kept apart from api.ts so the single-PUT contract is untouched.
 */
import * as z from 'zod';
import { DatasetView, PresignedRequestView } from './api.js';
import { IsoTime, Sha256 } from './common.js';

/** S3's rules for a multipart upload: parts of 5 MiB..5 GiB (the last may be smaller), at most 10,000. */
export const MIN_PART_BYTES = 5 * 1024 ** 2;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;
/** The part size planned when it keeps the upload at or under PLANNED_PARTS parts. */
export const DEFAULT_PART_BYTES = 64 * 1024 ** 2;
/** The planner doubles the part size until the count is at most this: a tenth of S3's limit. */
export const PLANNED_PARTS = 1000;
/** 1 TiB: planned in 512 parts of 2 GiB, well under both part limits. */
export const MAX_MULTIPART_DATASET_BYTES = 1024 ** 4;
/** Part URLs one call may ask for. */
export const MAX_PART_URLS_PER_CALL = 100;

export const CreateUploadRequest = z
  .object({
    sha256: Sha256,
    bytes: z.number().int().min(1).max(MAX_MULTIPART_DATASET_BYTES),
    name: z.string().min(1).max(256).optional(),
    mediaType: z.string().min(1).max(128).optional(),
    /** A smaller part size than planned (tests, slow links); the plan may still raise it. */
    partBytes: z.number().int().min(MIN_PART_BYTES).max(MAX_PART_BYTES).optional(),
  })
  .strict();

export const UploadPlanView = z.object({
  id: z.string(),
  sha256: Sha256,
  bytes: z.number().int().positive(),
  partBytes: z.number().int().positive(),
  partCount: z.number().int().positive(),
  createdAt: IsoTime,
  /** After this the staged parts may be removed and the upload is gone. */
  expiresAt: IsoTime,
});

export const StagedPartView = z.object({
  number: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256,
});

export const CreateUploadResponse = z.object({
  dataset: DatasetView,
  /** Absent when the dataset is already stored: there is nothing to upload. */
  upload: UploadPlanView.optional(),
});

export const UploadStatusView = z.object({ upload: UploadPlanView, parts: z.array(StagedPartView) });

export const PartUrlsRequest = z
  .object({
    parts: z
      .array(z.object({ number: z.number().int().min(1).max(MAX_PARTS), sha256: Sha256 }).strict())
      .min(1)
      .max(MAX_PART_URLS_PER_CALL),
  })
  .strict();

export const PartUrlsResponse = z.object({
  parts: z.array(
    PresignedRequestView.extend({ number: z.number().int().positive(), bytes: z.number().int() }),
  ),
});

export const CompleteUploadResponse = z.object({ dataset: DatasetView });

export const UploadIdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_.-]{16,1100}$/) });
