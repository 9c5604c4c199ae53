import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ObjectLockMode } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_KEYS } from '../../functions/adapters/aws/table-schema.js';
import { functionStatements } from './policy-scan.js';
import { onlyResource, synthStack, synthVault } from './synth.js';

let template: Template;
beforeAll(() => {
  template = synthStack().template;
});

const dataBucket = () =>
  template.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } });

describe('the data bucket', () => {
  it('locks every object in governance mode for 365 days by default', () => {
    expect(Object.keys(dataBucket())).toHaveLength(1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('blocks public access, encrypts with S3-managed keys and aborts stale multipart uploads after a day', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        ],
      },
    });
  });

  it('writes server access logs to a separate bucket', () => {
    const [id, bucket] = Object.entries(dataBucket())[0]!;
    const target = bucket.Properties.LoggingConfiguration.DestinationBucketName.Ref as string;
    expect(target).not.toBe(id);
    expect(template.toJSON().Resources[target].Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties.LoggingConfiguration.LogFilePrefix).toBe('data-bucket/');
  });

  it("survives stack deletion, as do its access-log bucket and the freeze machine's work bucket", () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets)
      expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('refuses every request that does not use TLS, on every bucket', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  const dataBucketStatements = () => {
    const [bucketId] = Object.keys(dataBucket());
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === bucketId,
    );
    return policy!.Properties.PolicyDocument.Statement as Record<string, unknown>[];
  };

  it('refuses, for every principal, a put that could replace an object: no If-None-Match, except multipart parts', () => {
    expect(dataBucketStatements()).toContainEqual({
      Sid: 'DenyPutWithoutIfNoneMatch',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Object.keys(dataBucket())[0], 'Arn'] }, '/*']] },
      Condition: {
        Null: { 's3:if-none-match': 'true' },
        BoolIfExists: { 's3:ObjectCreationOperation': 'true' },
      },
    });
  });

  it('refuses s3:BypassGovernanceRetention to every principal, so governance locks hold like compliance ones', () => {
    expect(dataBucketStatements()).toContainEqual(
      expect.objectContaining({
        Sid: 'DenyGovernanceBypass',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:BypassGovernanceRetention',
      }),
    );
    expect(JSON.stringify(dataBucketStatements().filter((s) => s.Effect === 'Allow'))).not.toContain(
      'BypassGovernance',
    );
  });

  it('takes compliance mode and retention days from props', () => {
    const { template: custom } = synthVault(() => ({
      retentionMode: ObjectLockMode.COMPLIANCE,
      retentionDays: 2555,
    }));
    custom.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } },
    });
  });

  it('encrypts with a given customer-managed key and lets both functions use it', () => {
    const { template: keyed, vault } = synthVault((stack) => ({
      encryptionKey: new kms.Key(stack, 'DataKey'),
    }));
    const keyId = Stack.of(vault).getLogicalId(vault.bucket.encryptionKey!.node.defaultChild as CfnElement);
    keyed.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    const statementsOf = functionStatements(keyed);
    for (const fn of [vault.apiFunction, vault.workerFunction]) {
      const statements = statementsOf.get(Stack.of(vault).getLogicalId(fn.node.defaultChild as CfnElement))!;
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']),
          Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        }),
      );
    }
  });
});

describe('the lineage table', () => {
  it('uses the adapter key schema with one all-attributes index', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: TABLE_KEYS.gsi1.indexName,
          KeySchema: [
            { AttributeName: TABLE_KEYS.gsi1.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.gsi1.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'gsi1pk', AttributeType: 'S' }]),
    });
  });

  it('bills on demand with point-in-time recovery and deletion protection, and is retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('tamper detection', () => {
  it('streams old and new images of every changed item from the table', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('invokes the tamper watch only for replaced or removed audit, manifest, history and lineage items', () => {
    const { props } = onlyResource(template, 'AWS::Lambda::EventSourceMapping');
    const patterns = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) =>
      JSON.parse(f.Pattern),
    );
    for (const pattern of patterns) expect(pattern.eventName).toEqual(['MODIFY', 'REMOVE']);
    expect(patterns.map((p) => p.dynamodb.Keys)).toEqual([
      { pk: { S: [{ prefix: 'AUDIT' }] } },
      { pk: { S: [{ prefix: 'MANIFEST#' }] } },
      { pk: { S: [{ prefix: 'ALIAS#' }] }, sk: { S: [{ prefix: 'REV#' }] } },
      { pk: { S: [{ prefix: 'DATASET#' }] }, sk: { S: [{ prefix: 'MANIFEST#' }] } },
    ]);
  });
});

describe('the tamper watch code', () => {
  it('logs each changed item with its keys and old image, which is what the alarm points people to', async () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Code.ZipFile !== undefined,
    );
    const exports: { handler?: (event: unknown) => Promise<void> } = {};
    new Function('exports', fn!.Properties.Code.ZipFile)(exports);
    const lines: string[] = [];
    const original = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      await exports.handler!({
        Records: [
          {
            eventName: 'MODIFY',
            dynamodb: {
              Keys: { pk: { S: 'AUDIT' }, sk: { S: '2026-01-01T00:00:00.000Z#a' } },
              OldImage: { data: { S: '{"reason":"ship"}' } },
              NewImage: { data: { S: '{"reason":"forged"}' } },
            },
          },
        ],
      });
    } finally {
      console.log = original;
    }
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'alarm',
        eventName: 'MODIFY',
        keys: { pk: { S: 'AUDIT' }, sk: { S: '2026-01-01T00:00:00.000Z#a' } },
        oldImage: { data: { S: '{"reason":"ship"}' } },
      }),
    ]);
  });
});

describe('construct ids', () => {
  it('stay stable for every retained resource, since a new id would orphan the old resource', () => {
    const retained = Object.entries(
      template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>,
    )
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
      .map(([id, resource]) => `${resource.Type} ${id}`)
      .sort();
    expect(retained).toEqual([
      'AWS::DynamoDB::GlobalTable SplitVaultTableFB76B9F5',
      'AWS::Logs::LogGroup SplitVaultApiAccessLogsAF80E5B9',
      'AWS::Logs::LogGroup SplitVaultApiFunctionLogsC28B1D10',
      'AWS::Logs::LogGroup SplitVaultFreezeCoordinatorFunctionLogs6C0BD5BD',
      'AWS::Logs::LogGroup SplitVaultFreezeMachineLogs19475977',
      'AWS::Logs::LogGroup SplitVaultFreezeShardFunctionLogs03296400',
      'AWS::Logs::LogGroup SplitVaultTamperWatchLogs0A5B1EC1',
      'AWS::Logs::LogGroup SplitVaultWorkerFunctionLogsDAA0E74B',
      'AWS::S3::Bucket SplitVaultAccessLogBucket0F9C0BD9',
      'AWS::S3::Bucket SplitVaultBucketCE4942C7',
      'AWS::S3::Bucket SplitVaultWorkBucketEC00F18E',
    ]);
  });
});
