import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { S3MultipartStore } from '../../functions/adapters/aws/s3-multipart-store.js';
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
