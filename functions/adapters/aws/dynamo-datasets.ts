/**
 * Dataset registrations (DATASET#<sha256> / REG#<utc at>#<audit id>) in the single table.
 * Each registration is a put-if-absent in one transaction with its audit copies, so the
 * item family is create-only; the newest one (of a given size) is the first of a descending
 * query. The DATASET#<sha256> / DATASET item of older tables is read when there is none.
 */
import { type DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { AuditEntry, DatasetRecord } from '../../../schemas/records.js';
import type { DatasetLookup } from '../../core/ports.js';
import { auditPuts } from './dynamo-audit.js';
import { datasetCatalogPut } from './dynamo-catalog.js';
import { type Item, keys, n, parseData, s } from './dynamo-keys.js';
import { transact } from './dynamo-requests.js';
import { rethrowSdkError } from './sdk-errors.js';

/** Registrations read per query page while looking for one of a given size. */
const PAGE = 100;

/** Adds one registration and its audit copies; false when the audit id was used before. */
export async function registerDataset(
  client: DynamoDBClient,
  table: string,
  registration: DatasetRecord,
  audit: AuditEntry,
): Promise<boolean> {
  const outcome = await transact(client, [
    {
      Put: {
        TableName: table,
        Item: {
          ...keys.datasetRegistration(registration.sha256, registration.createdAt, audit.id),
          bytes: n(registration.bytes),
          data: s(JSON.stringify(registration)),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    datasetCatalogPut(table, registration),
    ...auditPuts(table, audit),
  ]);
  return outcome.ok;
}

export async function getDataset(
  client: DynamoDBClient,
  table: string,
  sha256: string,
  options: DatasetLookup,
): Promise<DatasetRecord | undefined> {
  const bytes = options.bytes === undefined ? undefined : n(options.bytes);
  let start: Item | undefined;
  // Stops at the first match: newest first, so without a size that is the first item read.
  do {
    const output = await client
      .send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': s(`DATASET#${sha256}`),
            ':prefix': s('REG#'),
            ...(bytes ? { ':bytes': bytes } : {}),
          },
          // Every registration has data; the worker may put key-only items under DATASET#
          // (its manifest edges), and one named REG#<far future> must not hide the rest.
          FilterExpression: bytes ? 'attribute_exists(#data) AND #bytes = :bytes' : 'attribute_exists(#data)',
          ExpressionAttributeNames: { '#data': 'data', ...(bytes ? { '#bytes': 'bytes' } : {}) },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: PAGE,
          ExclusiveStartKey: start,
        }),
      )
      .catch((error: unknown) => rethrowSdkError(error, `reading dataset ${sha256}`));
    const first = output.Items?.[0];
    if (first) return parseData<DatasetRecord>(first);
    start = output.LastEvaluatedKey;
  } while (start !== undefined);
  const legacy = await client
    .send(new GetItemCommand({ TableName: table, Key: keys.dataset(sha256), ConsistentRead: true }))
    .catch((error: unknown) => rethrowSdkError(error, `reading dataset ${sha256}`));
  const record = parseData<DatasetRecord>(legacy.Item);
  return record && (options.bytes === undefined || record.bytes === options.bytes) ? record : undefined;
}
