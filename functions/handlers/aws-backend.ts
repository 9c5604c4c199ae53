import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoLineageStore } from '../adapters/aws/dynamo-lineage-store.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import type { ReadAhead } from '../adapters/aws/s3-read-ahead.js';
import { StoredLeakage } from '../adapters/common/stored-leakage.js';
import type { Config } from '../config.js';

/** How long one SDK attempt may wait for an answer before the adapter calls the backend unavailable. */
export interface AwsTimeouts {
  readonly connectMs: number;
  readonly s3RequestMs: number;
  readonly dynamoRequestMs: number;
}

// Without throwOnRequestTimeout the SDK only logs a slow request and keeps waiting, so a
// backend that accepts connections but never answers would hang requests instead of
// turning into 503s. S3 gets longer because single puts carry up to 16 MiB.
const DEFAULT_TIMEOUTS: AwsTimeouts = { connectMs: 3_000, s3RequestMs: 30_000, dynamoRequestMs: 5_000 };

/** Wraps an SDK client before the stores get it (the worker adds X-Ray subsegments this way). */
export type InstrumentClient = <T extends S3Client | DynamoDBClient>(client: T) => T;

/**
 * S3 (Object Lock) and DynamoDB stores from config. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB; emulators want path-style bucket URLs.
 * `readAhead` widens the blob store's long reads and multipart uploads (the freeze steps').
 */
export async function createAwsBackend(
  config: Config,
  timeouts: AwsTimeouts = DEFAULT_TIMEOUTS,
  instrument: InstrumentClient = (client) => client,
  readAhead?: ReadAhead,
) {
  if (!config.bucket || !config.table) throw new Error('SPLITVAULT_BUCKET and SPLITVAULT_TABLE are required');
  const handler = (requestTimeout: number) => ({
    connectionTimeout: timeouts.connectMs,
    requestTimeout,
    throwOnRequestTimeout: true,
  });
  const s3 = instrument(
    new S3Client({
      forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
      requestHandler: handler(timeouts.s3RequestMs),
    }),
  );
  const dynamo = instrument(new DynamoDBClient({ requestHandler: handler(timeouts.dynamoRequestMs) }));
  const blobs = await S3BlobStore.create({
    client: s3,
    bucket: config.bucket,
    ...(readAhead ? { readAhead } : {}),
  });
  const lineage = new DynamoLineageStore({ client: dynamo, tableName: config.table });
  return { blobs, lineage, catalog: lineage, leakage: new StoredLeakage(blobs, lineage), s3 };
}
