import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../functions/adapters/aws/table-schema.js';
import type { ResolvedSplitVaultProps } from './splitvault-props.js';

/** The two stateful resources and the bucket that records who touched the data bucket. */
export interface VaultStorage {
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly table: dynamodb.TableV2;
}

/**
 * Creates the data bucket, its access-log bucket and the lineage table. All three are retained
 * on stack deletion: losing them would break the audit trail the product exists to keep.
 */
export function createStorage(scope: Construct, props: ResolvedSplitVaultProps): VaultStorage {
  // Access-log delivery only supports SSE-S3 targets, whatever the data bucket uses.
  const accessLogBucket = new s3.Bucket(scope, 'AccessLogBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    // Ownership is left to CDK: it depends on whether log delivery uses a bucket policy or ACLs.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const retention = Duration.days(props.retentionDays);
  const bucket = new s3.Bucket(scope, 'Bucket', {
    objectLockEnabled: true,
    objectLockDefaultRetention:
      props.retentionMode === s3.ObjectLockMode.COMPLIANCE
        ? s3.ObjectLockRetention.compliance(retention)
        : s3.ObjectLockRetention.governance(retention),
    versioned: true,
    encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: props.encryptionKey !== undefined,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogBucket,
    serverAccessLogsPrefix: 'data-bucket/',
    lifecycleRules: [
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  denyRewrites(bucket);
  const key = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
  const table = new dynamodb.TableV2(scope, 'Table', {
    partitionKey: key(TABLE_KEYS.partitionKey),
    sortKey: key(TABLE_KEYS.sortKey),
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    // Feeds the tamper watch (./vault-tamper-watch.ts) with the old image of any changed item.
    dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    removalPolicy: RemovalPolicy.RETAIN,
    globalSecondaryIndexes: [
      {
        indexName: TABLE_KEYS.gsi1.indexName,
        partitionKey: key(TABLE_KEYS.gsi1.partitionKey),
        sortKey: key(TABLE_KEYS.gsi1.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      },
    ],
  });
  return { bucket, accessLogBucket, table };
}

/**
 * Bucket-policy denies that hold for every principal, the functions' stolen credentials
 * included. A put must carry If-None-Match: * so it can only create a key, never add a
 * version over one ("Enforce conditional writes on Amazon S3 buckets", Amazon S3 User Guide,
 * userguide/conditional-writes-enforce.html). CreateMultipartUpload, UploadPart and
 * UploadPartCopy are also authorized as s3:PutObject but can't carry the header; S3 marks
 * them with s3:ObjectCreationOperation = false, and only they are exempt. The step that
 * creates the object, CompleteMultipartUpload, needs the header like PutObject (the IfExists
 * form denies a request that lacks the key too). Governance retention can't be bypassed by
 * anyone, so a locked object stays until its retain-until date even in GOVERNANCE mode.
 */
function denyRewrites(bucket: s3.Bucket): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyPutWithoutIfNoneMatch',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: {
        Null: { 's3:if-none-match': 'true' },
        BoolIfExists: { 's3:ObjectCreationOperation': 'true' },
      },
    }),
  );
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGovernanceBypass',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:BypassGovernanceRetention'],
      resources: [bucket.arnForObjects('*')],
    }),
  );
}
