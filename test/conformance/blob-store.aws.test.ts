import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { defineBlobStoreConformance } from './blob-store-conformance.js';
import { createLockedBucket, s3Client } from './emulator-env.js';

defineBlobStoreConformance('S3 on versitygw', async () => {
  const client = s3Client();
  const bucket = await createLockedBucket(client, 'conformance-blobs');
  // A low threshold sends the large cases through multipart (8 MiB parts) without huge bodies.
  const multipartThreshold = 1024 * 1024;
  const store = await S3BlobStore.create({ client, bucket, multipartThreshold, stampRetention: true });
  return {
    store,
    largeBytes: 9 * 1024 * 1024,
    async countStored(kind, sha256) {
      const Prefix = blobKey(kind, sha256);
      const output = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix }));
      return (output.Versions ?? []).filter((version) => version.Key === Prefix).length;
    },
    async close() {
      client.destroy();
    },
  };
});
