import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoLineageStore } from '../adapters/aws/dynamo-lineage-store.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import type { Config } from '../config.js';

/**
 * S3 (Object Lock) and DynamoDB stores from config. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB; emulators want path-style bucket URLs.
 */
export async function createAwsBackend(config: Config) {
  if (!config.bucket || !config.table) throw new Error('SPLITVAULT_BUCKET and SPLITVAULT_TABLE are required');
  const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
  const dynamo = new DynamoDBClient({});
  const blobs = await S3BlobStore.create({ client: s3, bucket: config.bucket });
  const lineage = new DynamoLineageStore({ client: dynamo, tableName: config.table });
  return { blobs, lineage };
}
