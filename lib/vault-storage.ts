import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
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
  const key = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
  const table = new dynamodb.TableV2(scope, 'Table', {
    partitionKey: key(TABLE_KEYS.partitionKey),
    sortKey: key(TABLE_KEYS.sortKey),
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
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
