import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import type { FreezeMachine } from './vault-freeze-machine.js';
import { SHARD_WORK_KEYS } from './vault-permissions.js';
import type { VaultStorage } from './vault-storage.js';

export interface AcknowledgedParts {
  readonly storage: VaultStorage;
  readonly freeze: FreezeMachine;
  readonly functions: readonly lambda.Function[];
  readonly failureQueue: sqs.IQueue;
  readonly healthRoute: apigw.HttpRoute;
  /** The functions with active tracing, which Lambda gives the X-Ray write permission. */
  readonly traced: readonly lambda.Function[];
}

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

/**
 * The cdk-nag (AwsSolutions) findings this construct accepts, each with the reason it is
 * safe here. Kept next to the construct so every app that uses it gets a clean report.
 */
export function acknowledgeFindings(parts: AcknowledgedParts): void {
  const bucketId = logicalId(parts.storage.bucket);
  const tableId = logicalId(parts.storage.table);
  for (const fn of parts.functions) {
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: the bundles target node22 and the suite runs on Node 20 and 22; ' +
        'a newer runtime is a deliberate upgrade with its own test run, not a silent drift.',
    });
    Validations.of(fn.role!).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
        reason:
          'Objects are named by their SHA-256, so no narrower key pattern exists; the object actions ' +
          'exclude every delete, retention and legal-hold action (see lib/vault-permissions.ts).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason: 'Queries use the indexes of this one table; the index ARN has no other form.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason: 'Only with a customer key: SSE-KMS needs the data-key variants, on that one key.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        reason: 'Only with a customer key: granted by grantEncryptDecrypt on that one key, for SSE-KMS.',
      },
    );
  }
  for (const fn of parts.traced) {
    Validations.of(fn.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords (added by Lambda tracing) ' +
        'support no resource-level permissions; they write traces and touch no data.',
    });
  }
  acknowledgeFreezeMachine(parts.freeze, parts.traced.length > 0);
  Validations.of(parts.failureQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter destination of the worker; a DLQ behind it would only move the same messages.',
  });
  Validations.of(parts.freeze.endings.failureQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter destination of the freeze endings rule and of the ' +
      "coordinator's asynchronous invokes; a DLQ behind it would only move the same messages.",
  });
  Validations.of(parts.healthRoute).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'The health check is public so uptime probes need no credentials; it returns the service name ' +
      'and version only and touches no data. Every other route requires IAM.',
  });
}

/** The freeze machine's wildcards: work objects by job, its own executions, the functions' versions. */
function acknowledgeFreezeMachine(freeze: FreezeMachine, tracing: boolean): void {
  const workBucketId = logicalId(freeze.workBucket);
  const workObjects = {
    reason:
      'Work objects are named by job id and phase under one prefix per job, created at run time; the ' +
      'actions are get and put, with no delete (the bucket expires them).',
  };
  for (const fn of [freeze.coordinatorFunction, freeze.shardFunction]) {
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${workBucketId}.Arn>/*]`,
      ...workObjects,
    });
  }
  Validations.of(freeze.shardFunction.role!).acknowledge(
    ...SHARD_WORK_KEYS.map((key) => ({
      id: `AwsSolutions-IAM5[Resource::<${workBucketId}.Arn>/${key}]`,
      reason:
        'The shard steps put only their own scan, summary and part objects, named by the job id and shard ' +
        "known at run time; the coordinator's plan, item list, merge, assignment and manifest stay out of reach.",
    })),
  );
  const machine = freeze.stateMachine;
  Validations.of(machine.role).acknowledge(
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${workBucketId}>/*]`,
      reason:
        "The Distributed Maps read each job's item list with s3:GetObject only; its key holds the job id, " +
        'known at run time, in the work bucket alone.',
    },
    ...[freeze.coordinatorFunction, freeze.shardFunction].map((fn) => ({
      id: `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`,
      reason:
        'Added by the Lambda task: the suffix matches versions and aliases of this same function only, ' +
        'and the construct publishes none, so no other code can be invoked.',
    })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Logging to CloudWatch (logs:*LogDelivery, DescribeLogGroups, resource policies) and X-Ray ' +
        'tracing support no resource-level permissions; neither reads or changes any data.',
    },
  );
  const machineId = logicalId(machine);
  const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}`;
  const mapRuns = ['', '/ScanShards', '/SummarizeShards', '/WriteShards'];
  Validations.of(machine.node.findChild('DistributedMapPolicy')).acknowledge(
    ...mapRuns.map((label) => ({
      id: `AwsSolutions-IAM5[Resource::${executions}${label}:*]`,
      reason:
        'The Distributed Maps run their children as executions of this state machine: it may describe, ' +
        'stop and redrive its own executions and map runs only, whose names exist at run time.',
    })),
  );
  if (!tracing) {
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'The deployment turned tracing off with the tracing prop, for the functions and the freeze ' +
        'machine alike; execution history and the log group still record every state.',
    });
  }
}
