/**
 * Multipart upload for large or streamed blobs. S3 offers no full-object SHA-256 for
 * multipart objects (FULL_OBJECT checksums exist only for CRC algorithms), so each part
 * carries its own SHA-256, which S3 verifies, while we hash the whole stream ourselves and
 * complete the upload only when that hash matches the address. A mismatch aborts the upload,
 * so a wrong object never becomes visible. On completion S3 reports the COMPOSITE checksum of
 * the parts it assembled, which must equal the one computed from our bytes (./s3-checksums.ts):
 * that checksum, not the writer-set `sha256` metadata, is what later confirms the object.
 * Up to `partsInFlight` parts upload at once (one S3 stream is about 90 MB/s); the hash is
 * still taken in order as parts are cut, and memory is one part being filled plus those in
 * flight. A failed part stops the reading, the other parts are awaited, and the upload is
 * aborted, so nothing is assembled from it.
 */
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { IntegrityError } from '../../core/errors.js';
import { mismatch } from '../common/verify-bytes.js';
import { PART_BYTES, PartHasher } from './s3-checksums.js';
import { rethrowSdkError } from './sdk-errors.js';

export interface MultipartTarget {
  readonly client: S3Client;
  readonly create: CreateMultipartUploadCommandInput & { Bucket: string; Key: string };
  readonly sha256: string;
  readonly bytes: number;
  /** Parts uploading at once (at least 1). @default 1 */
  readonly partsInFlight?: number;
}

/** What an upload did, and the composite checksum of the bytes it was given. */
export interface MultipartOutcome {
  /** False when the key already existed (If-None-Match refused the completion). */
  readonly created: boolean;
  readonly composite: string;
}

/** Uploads and completes with If-None-Match, refusing a completed object S3 assembled differently. */
export async function multipartUpload(
  target: MultipartTarget,
  body: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<MultipartOutcome> {
  const { client, create } = target;
  const { Bucket, Key } = create;
  const started = await client
    .send(
      new CreateMultipartUploadCommand({ ...create, ChecksumAlgorithm: 'SHA256', ChecksumType: 'COMPOSITE' }),
    )
    .catch((error: unknown) => rethrowSdkError(error, `starting the upload of ${Key}`));
  const UploadId = started.UploadId!;
  const hasher = new PartHasher();
  const width = Math.max(1, Math.floor(target.partsInFlight ?? 1));
  let composite: string | undefined;
  const uploads: Promise<CompletedPart>[] = [];
  // Parts not yet known to have finished; at most `width` at once.
  const pending = new Set<Promise<CompletedPart>>();
  // The first part that failed: no further part is read or sent once one has. A part that fails
  // while fewer than `width` are out leaves `pending` before any race() could see it.
  let failed: { readonly error: unknown } | undefined;
  try {
    for await (const part of partsOf(body)) {
      if (failed) throw failed.error;
      const PartNumber = uploads.length + 1;
      const ChecksumSHA256 = hasher.updatePart(part).toString('base64');
      const upload = client
        .send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: part, ChecksumSHA256 }))
        .then((uploaded) => ({ PartNumber, ETag: uploaded.ETag, ChecksumSHA256 }))
        .catch((error: unknown) => rethrowSdkError(error, `uploading part ${PartNumber} of ${Key}`));
      // Awaited below or in the catch; a failure meanwhile must not count as unhandled.
      upload.catch((error: unknown) => {
        failed ??= { error };
      });
      uploads.push(upload);
      pending.add(upload);
      const settle = () => pending.delete(upload);
      upload.then(settle, settle);
      // The first failure ends the loop here: race() rejects with it.
      while (pending.size >= width) await Promise.race(pending);
    }
    if (failed) throw failed.error;
    const parts = await Promise.all(uploads);
    const actual = hasher.digest();
    composite = actual.composite;
    if (actual.sha256 !== target.sha256 || actual.bytes !== target.bytes) {
      throw mismatch(target.sha256, target.bytes, actual.sha256, actual.bytes);
    }
    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        IfNoneMatch: '*',
        MultipartUpload: { Parts: parts },
      }),
    );
    // Past this point the object exists and is locked, so a mismatch can only be reported.
    if (completed.ChecksumSHA256 !== undefined && completed.ChecksumSHA256 !== composite) {
      throw new IntegrityError(
        `S3 assembled ${Key} with checksum ${completed.ChecksumSHA256}, not ${composite} of the parts sent`,
      );
    }
    return { created: true, composite };
  } catch (error) {
    // No part may land after the abort: wait for every request still out.
    await Promise.allSettled(uploads);
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
    if (
      composite !== undefined &&
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412
    )
      return { created: false, composite };
    if (error instanceof IntegrityError) throw error;
    return rethrowSdkError(error, `completing the upload of ${Key}`);
  }
}

/** Regroups arbitrary chunks into PART_BYTES parts (the last may be shorter). */
async function* partsOf(body: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let buffer = Buffer.alloc(PART_BYTES);
  let filled = 0;
  for await (const chunk of body) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(PART_BYTES - filled, chunk.byteLength - offset);
      buffer.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === PART_BYTES) {
        yield buffer;
        buffer = Buffer.alloc(PART_BYTES);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
