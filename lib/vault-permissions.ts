import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { VaultStorage } from './vault-storage.js';

/**
 * Object actions the functions may use. Written out because bucket.grantPut() would add
 * s3:PutObjectRetention and s3:PutObjectLegalHold, which can shorten or lift a lock.
 * s3:AbortMultipartUpload stays: it discards the parts of an upload that never completed and
 * can't touch a stored object version. Uploads get their lock from the bucket's default
 * retention, which needs no retention permission.
 */
export const OBJECT_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectRetention',
  's3:PutObject',
  's3:AbortMultipartUpload',
] as const;

/** ListBucket turns a missing key into 404 instead of 403, which the blob store relies on. */
export const BUCKET_ACTIONS = ['s3:ListBucket', 's3:GetBucketObjectLockConfiguration'] as const;

/**
 * Lineage and audit are append-only for the functions: no DeleteItem and no BatchWriteItem
 * (which can delete), so a compromised function can't erase history.
 */
export const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** Gives a function exactly the data-plane access splitvault needs, on this deployment's resources only. */
export function grantDataAccess(grantee: iam.IGrantable, storage: VaultStorage, key?: kms.IKey): void {
  const { bucket, table } = storage;
  const statements = [
    new iam.PolicyStatement({ actions: [...OBJECT_ACTIONS], resources: [bucket.arnForObjects('*')] }),
    new iam.PolicyStatement({ actions: [...BUCKET_ACTIONS], resources: [bucket.bucketArn] }),
    new iam.PolicyStatement({
      actions: [...TABLE_ACTIONS],
      resources: [table.tableArn, `${table.tableArn}/index/*`],
    }),
  ];
  for (const statement of statements) grantee.grantPrincipal.addToPrincipalPolicy(statement);
  key?.grantEncryptDecrypt(grantee);
}
