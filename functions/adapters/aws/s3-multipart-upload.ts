/**
 * Multipart upload for large or streamed blobs. S3 offers no full-object SHA-256 for
 * multipart objects (FULL_OBJECT checksums exist only for CRC algorithms), so each part
 * carries its own SHA-256, which S3 verifies, while we hash the whole stream ourselves and
 * complete the upload only when that hash matches the address. A mismatch aborts the upload,
 * so a wrong object never becomes visible. The verified hash is also kept as the object's
 * `sha256` metadata, which is what a later put compares against.
 */
import { createHash } from 'node:crypto';
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
import { rethrowSdkError } from './sdk-errors.js';

/** 8 MiB parts: above S3's 5 MiB minimum, and what we hold in memory at once. */
export const PART_BYTES = 8 * 1024 * 1024;

export interface MultipartTarget {
  readonly client: S3Client;
  readonly create: CreateMultipartUploadCommandInput & { Bucket: string; Key: string };
  readonly sha256: string;
  readonly bytes: number;
}

/** Uploads and completes with If-None-Match; returns false when the key already existed. */
export async function multipartUpload(
  target: MultipartTarget,
  body: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<boolean> {
  const { client, create } = target;
  const { Bucket, Key } = create;
  const started = await client
    .send(
      new CreateMultipartUploadCommand({ ...create, ChecksumAlgorithm: 'SHA256', ChecksumType: 'COMPOSITE' }),
    )
    .catch((error: unknown) => rethrowSdkError(error, `starting the upload of ${Key}`));
  const UploadId = started.UploadId!;
  try {
    const hash = createHash('sha256');
    const parts: CompletedPart[] = [];
    let total = 0;
    for await (const part of partsOf(body)) {
      hash.update(part);
      total += part.byteLength;
      const PartNumber = parts.length + 1;
      const ChecksumSHA256 = createHash('sha256').update(part).digest('base64');
      const uploaded = await client
        .send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: part, ChecksumSHA256 }))
        .catch((error: unknown) => rethrowSdkError(error, `uploading part ${PartNumber} of ${Key}`));
      parts.push({ PartNumber, ETag: uploaded.ETag, ChecksumSHA256 });
    }
    const actual = hash.digest('hex');
    if (actual !== target.sha256 || total !== target.bytes) {
      throw mismatch(target.sha256, target.bytes, actual, total);
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        IfNoneMatch: '*',
        MultipartUpload: { Parts: parts },
      }),
    );
    return true;
  } catch (error) {
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412)
      return false;
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
