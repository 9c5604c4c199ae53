/**
 * Alias pointer (ALIAS#<name> / CURRENT) and history (ALIAS#<name> / REV#<revision>) in the
 * single table. A move is one transaction: the pointer put is conditioned on the expected
 * revision (and the manifest it pointed at, so previousManifestId is exact), the history
 * item on not existing, and the audit copies ride along. History thus has one item per
 * revision, with no gap and no duplicate, whatever the concurrency.
 */
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AliasMove, AliasRecord } from '../../../schemas/records.js';
import { AlreadyExistsError } from '../../core/errors.js';
import type { AliasMoveRequest, Page, PageRequest } from '../../core/ports.js';
import { aliasConflict, aliasMoveRecords } from '../common/alias-move.js';
import { pageLimit } from '../common/page-cursor.js';
import { utcSortKey } from '../common/sort-keys.js';
import { auditPuts } from './dynamo-audit.js';
import { type Item, keys, n, parseData, s } from './dynamo-keys.js';
import { queryPage, transact } from './dynamo-requests.js';
import { rethrowSdkError } from './sdk-errors.js';

export async function getAliasItem(
  client: DynamoDBClient,
  table: string,
  name: string,
): Promise<Item | undefined> {
  const { pk, sk } = keys.aliasCurrent(name);
  const output = await client
    .send(new GetItemCommand({ TableName: table, Key: { pk, sk }, ConsistentRead: true }))
    .catch((error: unknown) => rethrowSdkError(error, `reading alias ${name}`));
  return output.Item;
}

export async function moveAlias(
  client: DynamoDBClient,
  table: string,
  request: AliasMoveRequest,
): Promise<AliasRecord> {
  const current = await getAliasItem(client, table, request.name);
  const previous = parseData<AliasRecord>(current);
  const currentRevision = previous?.revision ?? 0;
  if (currentRevision !== request.expectedRevision) throw aliasConflict(request, currentRevision);
  const revision = currentRevision + 1;
  const { record, move } = aliasMoveRecords(request, revision, previous);
  const pointerCondition =
    previous === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: 'revision = :expected AND manifestId = :previous',
          ExpressionAttributeValues: {
            ':expected': n(previous.revision),
            ':previous': s(previous.manifestId),
          },
        };
  const outcome = await transact(client, [
    {
      Put: {
        TableName: table,
        Item: {
          ...keys.aliasCurrent(request.name),
          revision: n(revision),
          manifestId: s(request.manifestId),
          data: s(JSON.stringify(record)),
        },
        ...pointerCondition,
      },
    },
    {
      Put: {
        TableName: table,
        Item: {
          ...keys.aliasMove(request.name, revision),
          atKey: s(utcSortKey(request.at)),
          data: s(JSON.stringify(move)),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...auditPuts(table, request.audit),
  ]);
  if (outcome.ok) return record;
  if (outcome.failedIndex === 2) throw duplicateAudit(request.audit.id);
  // Someone else's move landed between our read and our transaction.
  const now = parseData<AliasRecord>(await getAliasItem(client, table, request.name));
  throw aliasConflict(request, now?.revision ?? 0);
}

export async function listAliases(
  client: DynamoDBClient,
  table: string,
  page: PageRequest,
): Promise<Page<AliasRecord>> {
  const result = await queryPage(
    client,
    table,
    {
      input: {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        // Only alias pointers: IAM can't stop the worker giving a job or manifest item this
        // gsi1pk, but it can't write under ALIAS#.
        FilterExpression: 'begins_with(pk, :alias) AND sk = :current',
        ExpressionAttributeValues: { ':p': s('ALIASES'), ':alias': s('ALIAS#'), ':current': s('CURRENT') },
      },
      keyNames: ['gsi1pk', 'gsi1sk', 'pk', 'sk'],
      partition: 'ALIASES',
    },
    pageLimit(page),
    page.cursor,
  );
  return { ...result, items: result.items.map((item) => parseData<AliasRecord>(item)!) };
}

export async function aliasHistory(
  client: DynamoDBClient,
  table: string,
  name: string,
  page: PageRequest,
): Promise<Page<AliasMove>> {
  const result = await queryPage(client, table, historyQuery(name), pageLimit(page), page.cursor);
  return { ...result, items: result.items.map((item) => parseData<AliasMove>(item)!) };
}

/**
 * Walks the history newest first and stops at the first move made at or before `at`: the
 * cost is the number of moves since then, which for an alias is small.
 */
export async function aliasAt(
  client: DynamoDBClient,
  table: string,
  name: string,
  at: string,
): Promise<AliasMove | undefined> {
  const query = historyQuery(name);
  const filtered = {
    ...query,
    input: {
      ...query.input,
      FilterExpression: 'atKey <= :at',
      ExpressionAttributeValues: { ...query.input.ExpressionAttributeValues, ':at': s(utcSortKey(at)) },
    },
  };
  const result = await queryPage(client, table, filtered, 1, undefined);
  return parseData<AliasMove>(result.items[0]);
}

export async function aliasRevision(
  client: DynamoDBClient,
  table: string,
  name: string,
  revision: number,
): Promise<AliasMove | undefined> {
  const output = await client
    .send(new GetItemCommand({ TableName: table, Key: keys.aliasMove(name, revision), ConsistentRead: true }))
    .catch((error: unknown) => rethrowSdkError(error, `reading revision ${revision} of alias ${name}`));
  return parseData<AliasMove>(output.Item);
}

function historyQuery(name: string) {
  const partition = `ALIAS#${name}`;
  return {
    input: {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rev)',
      ExpressionAttributeValues: { ':pk': s(partition), ':rev': s('REV#') },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    keyNames: ['pk', 'sk'],
    partition,
  };
}

export function duplicateAudit(id: string): AlreadyExistsError {
  return new AlreadyExistsError('AUDIT.DUPLICATE', `audit entry ${id} is already recorded`);
}
