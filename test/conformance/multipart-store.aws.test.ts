import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { S3MultipartStore } from '../../functions/adapters/aws/s3-multipart-store.js';
import { BackendUnavailableError } from '../../functions/core/errors.js';
import type { BlobStore } from '../../functions/core/ports.js';
import { MIN_PART_BYTES } from '../../schemas/uploads.js';
import { createLockedBucket, s3Client, uniqueName } from './emulator-env.js';
import { defineMultipartStoreConformance } from './multipart-store-conformance.js';

defineMultipartStoreConformance('S3 on versitygw (staging bucket + locked bucket)', async () => {
  const client = s3Client();
  const locked = await createLockedBucket(client, 'conformance-mp-locked');
  // The staging bucket has no Object Lock: abandoned uploads must be deletable.
  const staging = uniqueName('conformance-mp-staging');
  await client.send(new CreateBucketCommand({ Bucket: staging }));
  const blobs = await S3BlobStore.create({
    client,
    bucket: locked,
    multipartThreshold: 1024 * 1024,
    stampRetention: true,
  });
  const store = new S3MultipartStore({ client, bucket: staging, blobs });
  return {
    store,
    blobs,
    send: async (request, body) =>
      (await fetch(request.url, { method: request.method, headers: request.headers, body })).status,
    async close() {
      client.destroy();
    },
  };
});

describe('S3MultipartStore when publishing fails after S3 assembled the parts', () => {
  it('keeps the assembled upload so that complete can be retried without sending the parts again', async () => {
    const client = s3Client();
    const locked = await createLockedBucket(client, 'conformance-mp-retry-locked');
    const staging = uniqueName('conformance-mp-retry-staging');
    await client.send(new CreateBucketCommand({ Bucket: staging }));
    const real = await S3BlobStore.create({
      client,
      bucket: locked,
      multipartThreshold: 1024 * 1024,
      stampRetention: true,
    });
    let outage = true;
    const blobs: BlobStore = {
      ...bind(real),
      put: async (...args) => {
        if (outage) throw new BackendUnavailableError('S3 is throttling');
        return real.put(...args);
      },
    };
    const store = new S3MultipartStore({ client, bucket: staging, blobs });
    const bytes = randomBytes(1000);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const plan = await store.start(sha256, bytes.byteLength, MIN_PART_BYTES);
    const url = await store.presignPart(plan, 1, sha256, { expiresIn: 300 });
    expect((await fetch(url.url, { method: 'PUT', headers: url.headers, body: bytes })).status).toBe(200);
    await expect(store.complete(plan)).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(await store.get(plan.id)).toMatchObject({ id: plan.id });
    outage = false;
    expect(await store.complete(plan)).toEqual({ created: true });
    expect(await real.head('dataset', sha256)).toMatchObject({ bytes: 1000 });
    expect(await store.get(plan.id)).toBeUndefined();
    client.destroy();
  });
});

function bind(store: S3BlobStore): BlobStore {
  return {
    put: store.put.bind(store),
    head: store.head.bind(store),
    open: store.open.bind(store),
    presignGet: store.presignGet.bind(store),
    presignPut: store.presignPut.bind(store),
  };
}
