import { DynamoLineageStore } from '../../functions/adapters/aws/dynamo-lineage-store.js';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { createLineageTable, createLockedBucket, dynamoClient, s3Client } from './emulator-env.js';
import { defineLeakageConformance } from './leakage-conformance.js';

defineLeakageConformance('S3 on versitygw and DynamoDB on moto', async () => {
  const s3 = s3Client();
  const dynamo = dynamoClient();
  const blobs = await S3BlobStore.create({
    client: s3,
    bucket: await createLockedBucket(s3, 'leakage'),
    stampRetention: true,
  });
  const lineage = new DynamoLineageStore({
    client: dynamo,
    tableName: await createLineageTable(dynamo, 'leakage'),
  });
  return {
    blobs,
    lineage,
    async close() {
      s3.destroy();
      dynamo.destroy();
    },
  };
});
