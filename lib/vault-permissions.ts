import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { PARTITIONS } from '../functions/adapters/aws/dynamo-keys.js';
import { TABLE_KEYS } from '../functions/adapters/aws/table-schema.js';
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
 * The only DynamoDB reads the adapter makes (GetItem, Query; no BatchGetItem, no Scan). A
 * transaction's Put is authorized as dynamodb:PutItem, so no write action beyond PutItem is
 * needed: no UpdateItem, no ConditionCheckItem, and no DeleteItem or BatchWriteItem (which
 * can delete), so neither function can erase an item.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem'] as const;

/** Which function a grant is for: they write different item families. */
export type VaultRole = 'api' | 'worker';

const partition = (prefix: string) => `${prefix}*`;

/**
 * The partition keys (dynamodb:LeadingKeys patterns) each function may put items under.
 * The API registers datasets, records jobs and moves aliases; the worker records manifests,
 * their lineage and their artifacts' short-id index items, finishes jobs and appends audit
 * entries. Neither can write a family it doesn't own: the worker can't touch aliases, the API
 * can't touch manifests, lineage or the artifact index.
 */
export const WRITABLE_PARTITIONS: Record<VaultRole, readonly string[]> = {
  api: [
    partition(PARTITIONS.dataset),
    partition(PARTITIONS.alias),
    partition(PARTITIONS.job),
    PARTITIONS.audit,
    partition(`${PARTITIONS.audit}#`),
  ],
  worker: [
    partition(PARTITIONS.manifest),
    partition(PARTITIONS.artifact),
    partition(PARTITIONS.job),
    PARTITIONS.audit,
    partition(`${PARTITIONS.audit}#`),
  ],
};

/**
 * The worker also adds DATASET#<sha>/MANIFEST#<id> edges, which hold only their key. Under
 * the DATASET# partition it may therefore put items made of the key attributes alone, so it
 * can't forge a dataset record (it could at worst blank one, which the stream alarm reports).
 */
export const WORKER_KEY_ONLY_PARTITIONS = [partition(PARTITIONS.dataset)] as const;

function putStatement(
  tableArn: string,
  leadingKeys: readonly string[],
  keyOnly = false,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: [...TABLE_WRITE_ACTIONS],
    resources: [tableArn],
    conditions: {
      // ForAllValues is vacuously true when the key is absent; PutItem always has one, and
      // the Null test makes that explicit instead of relying on it.
      Null: { 'dynamodb:LeadingKeys': 'false' },
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] },
      ...(keyOnly
        ? {
            'ForAllValues:StringEquals': {
              'dynamodb:Attributes': [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey],
            },
          }
        : {}),
    },
  });
}

/** Gives a function exactly the data-plane access its role needs, on this deployment's resources only. */
export function grantDataAccess(
  grantee: iam.IGrantable,
  role: VaultRole,
  storage: VaultStorage,
  key?: kms.IKey,
): void {
  const { bucket, table } = storage;
  const statements = [
    new iam.PolicyStatement({ actions: [...OBJECT_ACTIONS], resources: [bucket.arnForObjects('*')] }),
    new iam.PolicyStatement({ actions: [...BUCKET_ACTIONS], resources: [bucket.bucketArn] }),
    new iam.PolicyStatement({
      actions: [...TABLE_READ_ACTIONS],
      resources: [table.tableArn, `${table.tableArn}/index/*`],
    }),
    putStatement(table.tableArn, WRITABLE_PARTITIONS[role]),
    ...(role === 'worker' ? [putStatement(table.tableArn, WORKER_KEY_ONLY_PARTITIONS, true)] : []),
  ];
  for (const statement of statements) grantee.grantPrincipal.addToPrincipalPolicy(statement);
  key?.grantEncryptDecrypt(grantee);
}

/** What a shard step reads of the data bucket: dataset bytes by range, of the version it saw. */
export const SHARD_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'] as const;

/** The blob store checks the data bucket's default retention when it is built (S3BlobStore.create). */
export const SHARD_BUCKET_ACTIONS = ['s3:GetBucketObjectLockConfiguration'] as const;

/**
 * A shard step of the freeze machine reads the dataset and the bucket's lock settings, and
 * writes nothing but work objects: no object, item or audit entry of the vault. It parses
 * untrusted uploads, so it gets nothing it doesn't use: no ListBucket (the plan step has checked
 * every dataset file, which Object Lock keeps, so a shard never needs a 404 from a 403) and no
 * read of the table, either of which would show it other jobs and datasets.
 */
export function grantShardAccess(grantee: iam.IGrantable, storage: VaultStorage, key?: kms.IKey): void {
  const { bucket } = storage;
  const statements = [
    new iam.PolicyStatement({ actions: [...SHARD_OBJECT_ACTIONS], resources: [bucket.arnForObjects('*')] }),
    new iam.PolicyStatement({ actions: [...SHARD_BUCKET_ACTIONS], resources: [bucket.bucketArn] }),
  ];
  for (const statement of statements) grantee.grantPrincipal.addToPrincipalPolicy(statement);
  key?.grantDecrypt(grantee);
}

/**
 * Work objects are read and overwritten (a retried step writes the same name again) with one
 * PutObject each; none is deleted, the bucket's lifecycle expires them.
 */
export const WORK_OBJECT_ACTIONS = ['s3:GetObject', 's3:PutObject'] as const;

/**
 * ListBucket turns a missing work object into 404 (WORK.NOT_FOUND) instead of 403. Only the
 * coordinator has it: a shard step reads objects the steps before it wrote, and listing would
 * show it every running job's id.
 */
export const WORK_BUCKET_ACTIONS = ['s3:ListBucket'] as const;

/**
 * The work objects a shard step writes (`jobs/<jobId>/<name>`, functions/jobs/freeze-work.ts):
 * its shard's scan, summary and split parts. Job ids and names hold no slash, so none of the
 * coordinator's objects (`plan`, `items.json`, `merge`, `assign`, `assign-<shard>`, `combine`)
 * matches these patterns.
 */
export const SHARD_WORK_KEYS = ['jobs/*/scan-*', 'jobs/*/summarize-*', 'jobs/*/write-*'] as const;

/** What a shard step needs of a customer key to put work objects (SSE-KMS), beyond Decrypt. */
export const SHARD_KMS_WRITE_ACTIONS = ['kms:GenerateDataKey'] as const;

/**
 * Gives a freeze step read and write access to the work bucket's objects, and no delete. The
 * shard role parses untrusted uploads, so it may write only the shard steps' own objects: a
 * shard subverted by a hostile file can't replace the plan, item list, merge, assignment or
 * manifest that the coordinator trusts (RELIABILITY.md, the freeze state machine). IAM can't
 * tell one job's shard objects from another's; the execution's work key does
 * (functions/jobs/freeze-work.ts).
 */
export function grantWorkAccess(
  grantee: iam.IGrantable,
  workBucket: s3.IBucket,
  role: 'coordinator' | 'shard',
  key?: kms.IKey,
): void {
  const statements =
    role === 'coordinator'
      ? [
          new iam.PolicyStatement({
            actions: [...WORK_OBJECT_ACTIONS],
            resources: [workBucket.arnForObjects('*')],
          }),
          new iam.PolicyStatement({ actions: [...WORK_BUCKET_ACTIONS], resources: [workBucket.bucketArn] }),
        ]
      : [
          new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [workBucket.arnForObjects('*')] }),
          new iam.PolicyStatement({
            actions: ['s3:PutObject'],
            resources: SHARD_WORK_KEYS.map((name) => workBucket.arnForObjects(name)),
          }),
          // A put into a bucket under a customer key needs a data key of it; the shard's
          // other grant on the key is Decrypt. Bucket keys make the context the bucket's ARN,
          // so this key serves the work bucket's objects only.
          ...(key
            ? [
                new iam.PolicyStatement({
                  actions: [...SHARD_KMS_WRITE_ACTIONS],
                  resources: [key.keyArn],
                  conditions: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': workBucket.bucketArn } },
                }),
              ]
            : []),
        ];
  for (const statement of statements) grantee.grantPrincipal.addToPrincipalPolicy(statement);
}
