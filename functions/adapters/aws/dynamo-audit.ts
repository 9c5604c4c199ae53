/**
 * Audit entries in the single table. Each entry is written as four copies that differ only
 * in partition: AUDIT (everything), AUDIT#ACTOR#<actor>, AUDIT#ACTION#<action> and
 * AUDIT#TARGET#<target>, all sorted by <utc time>#<id>. Any one filter is then a single
 * strongly consistent partition query, newest first; a second or third filter narrows that
 * query with a FilterExpression. The copies go into the same transaction as the change.
 */
import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { AuditEntry } from '../../../schemas/records.js';
import type { AuditFilter, Page, PageRequest } from '../../core/ports.js';
import { pageLimit } from '../common/page-cursor.js';
import { utcSortKey } from '../common/sort-keys.js';
import { parseData, s } from './dynamo-keys.js';
import { queryPage } from './dynamo-requests.js';

/** Items to append to a transaction; the first is conditioned so an id can't be reused. */
export function auditPuts(table: string, entry: AuditEntry): TransactWriteItem[] {
  const sk = s(`${utcSortKey(entry.at)}#${entry.id}`);
  const attributes = {
    sk,
    actor: s(entry.actor),
    action: s(entry.action),
    target: s(entry.target),
    data: s(JSON.stringify(entry)),
  };
  const partitions = [
    'AUDIT',
    `AUDIT#ACTOR#${entry.actor}`,
    `AUDIT#ACTION#${entry.action}`,
    `AUDIT#TARGET#${entry.target}`,
  ];
  return partitions.map((pk, index) => ({
    Put: {
      TableName: table,
      Item: { pk: s(pk), ...attributes },
      ...(index === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
    },
  }));
}

/** How many items auditPuts adds to a transaction. */
export const AUDIT_ITEM_COUNT = 4;

export async function listAudit(
  client: DynamoDBClient,
  table: string,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  // The most selective filter picks the partition; the others become a FilterExpression.
  const order = [
    ['target', filter.target],
    ['actor', filter.actor],
    ['action', filter.action],
  ] as const;
  const chosen = order.find(([, value]) => value !== undefined);
  const partition = chosen ? `AUDIT#${chosen[0].toUpperCase()}#${chosen[1]}` : 'AUDIT';
  const rest = order.filter(([name, value]) => value !== undefined && name !== chosen?.[0]);
  const names = Object.fromEntries(rest.map(([name]) => [`#${name}`, name]));
  const values = Object.fromEntries(rest.map(([name, value]) => [`:${name}`, s(value!)]));
  const result = await queryPage(
    client,
    table,
    {
      input: {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': s(partition), ...values },
        ...(rest.length > 0
          ? {
              FilterExpression: rest.map(([name]) => `#${name} = :${name}`).join(' AND '),
              ExpressionAttributeNames: names,
            }
          : {}),
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      keyNames: ['pk', 'sk'],
      partition,
    },
    pageLimit(page),
    page.cursor,
  );
  return { ...result, items: result.items.map((item) => parseData<AuditEntry>(item)!) };
}
