/**
 * The multipart upload port: staging for dataset uploads larger than one presigned PUT.
 * Staged bytes never live at a content address: only complete() publishes, and only bytes
 * whose whole-file SHA-256 and size match the upload's, through the BlobStore's verified put.
 */
import type { BlobPutResult, PresignedRequest } from '../ports.js';

/** One upload: the dataset it must produce and how it is cut (./part-plan.ts). */
export interface UploadPlan {
  /** Opaque to callers; URL-safe. */
  readonly id: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly partBytes: number;
  readonly partCount: number;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** A part the staging area holds, verified against its SHA-256 when it arrived. */
export interface StagedPart {
  readonly number: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface MultipartStore {
  /**
   * Stages a new upload, or answers the unexpired one of the same dataset, size and part size
   * (so a client that was interrupted resumes it: listParts says what is already there). An
   * upload and its parts are removed once `expiresAt` passes uncompleted.
   */
  start(sha256: string, bytes: number, partBytes: number): Promise<UploadPlan>;
  /** The upload, or undefined when unknown, completed, aborted or expired. */
  get(id: string): Promise<UploadPlan | undefined>;
  /**
   * A URL a client PUTs part `number` to; the backend accepts only the part's planned size
   * and bytes that hash to `sha256` (the URL signs both).
   */
  presignPart(
    plan: UploadPlan,
    number: number,
    sha256: string,
    options: { readonly expiresIn: number },
  ): Promise<PresignedRequest>;
  /** The parts staged so far, by number. */
  listParts(plan: UploadPlan): Promise<readonly StagedPart[]>;
  /**
   * Assembles the parts in order and publishes them at the dataset's address only if the
   * whole stream hashes to `plan.sha256` with `plan.bytes` bytes; the upload is gone after,
   * either way. ConflictError UPLOAD.PART_MISSING when a part is absent or of the wrong size
   * (the upload stays, so the client can send it); ValidationError UPLOAD.HASH_MISMATCH when
   * the assembled bytes hash to something else (nothing is published).
   */
  complete(plan: UploadPlan): Promise<BlobPutResult>;
  /** Removes the upload and its parts; a no-op when already gone. */
  abort(id: string): Promise<void>;
}

/** What a verified part URL lets its holder PUT (embedded backend; S3 checks its own URLs). */
export interface PartGrant {
  readonly uploadId: string;
  readonly number: number;
  readonly sha256: string;
  readonly bytes: number;
}

/** Checks part URLs; ForbiddenError for a URL whose signature, path or expiry doesn't check out. */
export interface PartUrlVerifier {
  verify(url: URL, now: Date): PartGrant;
}
