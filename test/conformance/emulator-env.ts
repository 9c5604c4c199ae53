/**
 * Clients for the emulators started by scripts/with-emulators.sh. Missing variables are a
 * loud failure, never a skip: a suite that silently doesn't run proves nothing.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { createTableInput } from '../../functions/adapters/aws/table-schema.js';
import { type Config, loadConfig } from '../../functions/config.js';

const REQUIRED = [
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
] as const;

export function requireEmulators(): Record<(typeof REQUIRED)[number], string> {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `emulator tests need ${missing.join(', ')}; run them as: bash scripts/with-emulators.sh npx vitest run <files>`,
    );
  }
  return Object.fromEntries(REQUIRED.map((name) => [name, process.env[name]!])) as Record<
    (typeof REQUIRED)[number],
    string
  >;
}

export function s3Client(): S3Client {
  const env = requireEmulators();
  // versitygw serves path-style URLs only.
  return new S3Client({ endpoint: env.AWS_ENDPOINT_URL_S3, region: env.AWS_REGION, forcePathStyle: true });
}

export function dynamoClient(): DynamoDBClient {
  const env = requireEmulators();
  return new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION });
}

/** A fresh bucket with Object Lock and a default GOVERNANCE retention of one day. */
export async function createLockedBucket(client: S3Client, prefix: string): Promise<string> {
  const bucket = uniqueName(prefix);
  await client.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  await client.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
      },
    }),
  );
  return bucket;
}

export async function createLineageTable(client: DynamoDBClient, prefix: string): Promise<string> {
  const table = uniqueName(prefix);
  await client.send(new CreateTableCommand(createTableInput(table)));
  return table;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The service's own config for a fresh locked bucket and lineage table on the emulators. */
export async function freshAwsConfig(
  prefix: string,
  extra: Readonly<Record<string, string>> = {},
): Promise<Config> {
  const bucket = await createLockedBucket(s3Client(), prefix);
  const table = await createLineageTable(dynamoClient(), prefix);
  return loadConfig({
    SPLITVAULT_BACKEND: 'aws',
    SPLITVAULT_BUCKET: bucket,
    SPLITVAULT_TABLE: table,
    ...extra,
  });
}
