import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { readAheadOf } from '../../functions/adapters/aws/s3-read-ahead.js';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { uploadToPresigned } from '../../functions/client/upload.js';
import type { BlobKind } from '../../functions/core/ports.js';
import { bytesOf, defineBlobStoreConformance } from './blob-store-conformance.js';
import { createLockedBucket, s3Client } from './emulator-env.js';

/** How many versions of a blob the bucket holds (a second write would be a second version). */
function versionCounting(client: S3Client, bucket: string) {
  return {
    async countStored(kind: BlobKind, sha256: string) {
      const Prefix = blobKey(kind, sha256);
      const output = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix }));
      return (output.Versions ?? []).filter((version) => version.Key === Prefix).length;
    },
    async close() {
      client.destroy();
    },
  };
}

defineBlobStoreConformance('S3 on versitygw', async () => {
  const client = s3Client();
  const bucket = await createLockedBucket(client, 'conformance-blobs');
  // A low threshold sends the large cases through multipart (8 MiB parts) without huge bodies.
  const multipartThreshold = 1024 * 1024;
  const store = await S3BlobStore.create({ client, bucket, multipartThreshold, stampRetention: true });
  return {
    store,
    largeBytes: 9 * 1024 * 1024,
    ...versionCounting(client, bucket),
  };
});

// The same contract when long reads go through several ranged GETs and parts upload at once.
defineBlobStoreConformance('S3 on versitygw, reading ahead and uploading parts at once', async () => {
  const client = s3Client();
  const bucket = await createLockedBucket(client, 'conformance-ahead');
  const store = await S3BlobStore.create({
    client,
    bucket,
    multipartThreshold: 1024 * 1024,
    stampRetention: true,
    readAhead: readAheadOf({ streams: 3, rangeBytes: 65_536 }),
  });
  return {
    store,
    // Three 8 MiB parts, so two or three are in flight at once.
    largeBytes: 17 * 1024 * 1024,
    ...versionCounting(client, bucket),
  };
});

/** What only S3 has: object versions, writer-set metadata and the checksums S3 keeps. */
describe('S3BlobStore on versitygw, against objects it did not write', () => {
  const client = s3Client();
  let bucket: string;
  let store: S3BlobStore;
  beforeAll(async () => {
    bucket = await createLockedBucket(client, 'planted-blobs');
    store = await S3BlobStore.create({
      client,
      bucket,
      multipartThreshold: 1024 * 1024,
      stampRetention: true,
    });
  });
  afterAll(() => client.destroy());

  const versions = async (Key: string) =>
    (
      (await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: Key }))).Versions ?? []
    ).filter((version) => version.Key === Key);

  it('refuses an object whose sha256 metadata claims the address but whose bytes differ', async () => {
    const { body, sha256 } = bytesOf(`planted-${Math.random()}`, 300);
    const Key = blobKey('dataset', sha256);
    const forged = bytesOf('forged', 300).body;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: forged, Metadata: { sha256 } }));
    await expect(store.put('dataset', sha256, body, body.byteLength)).rejects.toMatchObject({
      code: 'BLOB.INTEGRITY',
    });
  });

  it('refuses a multipart object with the claimed metadata whose parts are not the right bytes', async () => {
    const { body, sha256 } = bytesOf(`planted-large-${Math.random()}`, 9 * 1024 * 1024);
    const Key = blobKey('dataset', sha256);
    const forged = bytesOf('forged-large', 9 * 1024 * 1024).body;
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key,
        Metadata: { sha256 },
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const part = await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key,
        UploadId,
        PartNumber: 1,
        Body: forged,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag, ChecksumSHA256: part.ChecksumSHA256 }] },
      }),
    );
    await expect(store.put('dataset', sha256, body, body.byteLength)).rejects.toMatchObject({
      code: 'BLOB.INTEGRITY',
    });
  });

  it('confirms a large blob it stored before by the composite checksum of its parts', async () => {
    const { body, sha256 } = bytesOf(`large-again-${Math.random()}`, 9 * 1024 * 1024);
    expect(await store.put('dataset', sha256, body, body.byteLength)).toEqual({ created: true });
    expect(await store.put('dataset', sha256, body, body.byteLength)).toEqual({ created: false });
    expect(await versions(blobKey('dataset', sha256))).toHaveLength(1);
  });

  it('signs If-None-Match into a presigned PUT, so the URL can create the object but never add a version', async () => {
    const { body, sha256 } = bytesOf(`presigned-once-${Math.random()}`, 300);
    const signed = await store.presignPut(sha256, body.byteLength, { expiresIn: 60 });
    expect(signed.headers).toMatchObject({ 'if-none-match': '*' });
    const headers = Object.fromEntries(
      Object.entries(signed.headers).filter(([k]) => k !== 'content-length'),
    );
    expect((await fetch(signed.url, { method: 'PUT', headers, body })).status).toBe(200);
    expect((await fetch(signed.url, { method: 'PUT', headers, body })).status).toBe(412);
    const { 'if-none-match': _dropped, ...unconditional } = headers;
    expect((await fetch(signed.url, { method: 'PUT', headers: unconditional, body })).status).toBe(403);
    expect(await versions(blobKey('dataset', sha256))).toHaveLength(1);
  });

  it('lets the client upload to a presigned PUT again after the object is stored, as a no-op', async () => {
    const { body, sha256 } = bytesOf(`client-twice-${Math.random()}`, 300);
    const signed = await store.presignPut(sha256, body.byteLength, { expiresIn: 60 });
    await uploadToPresigned(signed, Readable.from([body]), body.byteLength);
    await uploadToPresigned(signed, Readable.from([body]), body.byteLength);
    expect(await versions(blobKey('dataset', sha256))).toHaveLength(1);
  });

  it('pins signed GETs to the checked version, so a later version is never served under an old address', async () => {
    const { body, sha256 } = bytesOf(`pinned-${Math.random()}`, 300);
    const Key = blobKey('artifact', sha256);
    await store.put('artifact', sha256, body, body.byteLength);
    const signed = await store.presignGet('artifact', sha256, { expiresIn: 60 });
    expect(new URL(signed.url).searchParams.get('versionId')).toBe((await versions(Key))[0]!.VersionId);
    const later = bytesOf('later-version', 300).body;
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key, Body: later, ChecksumAlgorithm: 'SHA256' }),
    );
    expect(await versions(Key)).toHaveLength(2);
    expect(Buffer.from(await (await fetch(signed.url)).arrayBuffer())).toEqual(Buffer.from(body));
    await expect(store.presignGet('artifact', sha256, { expiresIn: 60 })).rejects.toMatchObject({
      code: 'BLOB.INTEGRITY',
    });
    // The worker's read sees the changed bytes (verify must report them) from one version.
    const read: Uint8Array[] = [];
    for await (const chunk of await store.open('artifact', sha256)) read.push(chunk);
    expect(Buffer.concat(read)).toEqual(Buffer.from(later));
  });
});
