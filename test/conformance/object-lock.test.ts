/**
 * Object Lock, proven against versitygw rather than assumed: what the blob store writes
 * can't be deleted or replaced through the S3 API while it is retained.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { bytesOf } from './blob-store-conformance.js';
import { createLockedBucket, s3Client, uniqueName } from './emulator-env.js';

describe('Object Lock on the artifact bucket', () => {
  const client = s3Client();
  let bucket: string;
  let store: S3BlobStore;
  const { body, sha256 } = bytesOf('locked-artifact', 2048);
  const Key = blobKey('artifact', sha256);
  let versionId: string;

  beforeAll(async () => {
    bucket = await createLockedBucket(client, 'object-lock');
    // versitygw 1.8 does not apply the bucket default to new objects, so stamp it explicitly.
    store = await S3BlobStore.create({ client, bucket, stampRetention: true });
    await store.put('artifact', sha256, body, body.byteLength);
    versionId = (await client.send(new HeadObjectCommand({ Bucket: bucket, Key }))).VersionId!;
  });
  afterAll(() => client.destroy());

  it('shows the retention on HEAD, a day ahead in GOVERNANCE mode', async () => {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    expect(head.ObjectLockMode).toBe('GOVERNANCE');
    const ahead = head.ObjectLockRetainUntilDate!.getTime() - Date.now();
    expect(ahead).toBeGreaterThan(23 * 3_600_000);
    expect(ahead).toBeLessThanOrEqual(24 * 3_600_000);
    expect((await store.head('artifact', sha256))?.retainUntil).toBe(
      head.ObjectLockRetainUntilDate!.toISOString(),
    );
  });

  it('refuses to delete the retained version', async () => {
    await expect(
      client.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId: versionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const back = await client.send(new GetObjectCommand({ Bucket: bucket, Key, VersionId: versionId }));
    expect(Buffer.from(await back.Body!.transformToByteArray())).toEqual(Buffer.from(body));
  });

  it('refuses a conditional overwrite, and an unconditional one leaves the retained version intact', async () => {
    const other = Buffer.from('replacement bytes');
    await expect(
      client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: other, IfNoneMatch: '*' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    // Versioning turns a plain PUT into a new version; the locked one can't change.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: other }));
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: Key }));
    expect(versions.Versions?.map((version) => version.VersionId)).toContain(versionId);
    const back = await client.send(new GetObjectCommand({ Bucket: bucket, Key, VersionId: versionId }));
    expect(Buffer.from(await back.Body!.transformToByteArray())).toEqual(Buffer.from(body));
    await expect(
      client.send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId: versionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses to start the blob store on a bucket without Object Lock', async () => {
    const plain = uniqueName('no-lock');
    await client.send(new CreateBucketCommand({ Bucket: plain }));
    await expect(S3BlobStore.create({ client, bucket: plain })).rejects.toMatchObject({
      code: 'BLOB.BUCKET_NOT_LOCKED',
      message: expect.stringContaining(plain),
    });
  });

  it('refuses to start the blob store on a locked bucket with no default retention', async () => {
    const bare = uniqueName('lock-no-default');
    await client.send(new CreateBucketCommand({ Bucket: bare, ObjectLockEnabledForBucket: true }));
    await expect(S3BlobStore.create({ client, bucket: bare })).rejects.toMatchObject({
      code: 'BLOB.BUCKET_NOT_LOCKED',
    });
  });
  it('leaves retention to the bucket default unless told to stamp it, so no retention permission is needed', async () => {
    const seen: Record<string, unknown>[] = [];
    const watched = s3Client();
    watched.middlewareStack.add(
      (next) => async (args) => {
        seen.push(args.input as Record<string, unknown>);
        return next(args);
      },
      { step: 'initialize', name: 'recordInputs' },
    );
    const plainStore = await S3BlobStore.create({ client: watched, bucket });
    const fresh = bytesOf('bucket-default-retention', 512);
    await plainStore.put('artifact', fresh.sha256, fresh.body, fresh.body.byteLength);
    const puts = seen.filter((input) => 'Body' in input);
    expect(puts).toHaveLength(1);
    expect(puts[0]).not.toHaveProperty('ObjectLockMode');
    expect(puts[0]).not.toHaveProperty('ObjectLockRetainUntilDate');
    watched.destroy();
  });
});
