import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PARTITIONS } from '../functions/adapters/aws/dynamo-keys.js';
import type { ResolvedSplitVaultProps } from './splitvault-props.js';
import type { VaultStorage } from './vault-storage.js';

/**
 * The append-only item families as stream filters: any MODIFY or REMOVE of one of them is
 * tampering, because the functions only ever create them (with attribute_not_exists or under
 * a fresh key) and hold no DeleteItem. IAM can't refuse a PutItem that replaces an existing
 * key, so this is the detective half: a filtered event source invokes the watch only for such
 * changes, and its Invocations metric is the tampering alarm.
 */
const CHANGED = ['MODIFY', 'REMOVE'];
const keyPrefix = (attribute: 'pk' | 'sk', prefix: string) => ({ [attribute]: { S: [{ prefix }] } });
export const APPEND_ONLY_FILTERS = [
  // Every audit copy.
  { eventName: CHANGED, dynamodb: { Keys: keyPrefix('pk', PARTITIONS.audit) } },
  // Manifests, freeze events and parent edges.
  { eventName: CHANGED, dynamodb: { Keys: keyPrefix('pk', PARTITIONS.manifest) } },
  // Alias history (the CURRENT pointer is meant to change).
  {
    eventName: CHANGED,
    dynamodb: { Keys: { ...keyPrefix('pk', PARTITIONS.alias), ...keyPrefix('sk', 'REV#') } },
  },
  // Dataset-to-manifest edges (the dataset record itself may be re-registered).
  {
    eventName: CHANGED,
    dynamodb: { Keys: { ...keyPrefix('pk', PARTITIONS.dataset), ...keyPrefix('sk', 'MANIFEST#') } },
  },
];

/**
 * Logs each record with its old image, so what was overwritten survives in a log group
 * neither service function can write to, next to the table's point-in-time recovery.
 */
const WATCH_CODE = `exports.handler = async (event) => {
  for (const record of event.Records) {
    console.log(JSON.stringify({
      level: 'alarm',
      message: 'an append-only splitvault item was changed',
      eventName: record.eventName,
      keys: record.dynamodb && record.dynamodb.Keys,
      oldImage: record.dynamodb && record.dynamodb.OldImage,
      newImage: record.dynamodb && record.dynamodb.NewImage,
      at: record.dynamodb && record.dynamodb.ApproximateCreationDateTime,
    }));
  }
};`;

/** The function the table's stream invokes for changes to append-only items. */
export function createTamperWatch(
  scope: Construct,
  storage: VaultStorage,
  props: ResolvedSplitVaultProps,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, 'TamperWatchLogs', { retention: props.logRetention });
  const role = new iam.Role(scope, 'TamperWatchRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  logGroup.grantWrite(role);
  const watch = new lambda.Function(scope, 'TamperWatch', {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    handler: 'index.handler',
    code: lambda.Code.fromInline(WATCH_CODE),
    memorySize: 128,
    role,
    logGroup,
    description: 'Logs and alarms on replaced or removed append-only splitvault items.',
  });
  watch.addEventSource(
    new DynamoEventSource(storage.table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      filters: APPEND_ONLY_FILTERS.map((pattern) => lambda.FilterCriteria.filter(pattern)),
      retryAttempts: 10,
      bisectBatchOnError: true,
    }),
  );
  return watch;
}
