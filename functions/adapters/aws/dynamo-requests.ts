/**
 * The DynamoDB request shapes the lineage store builds on: a paged query whose cursor is
 * exact (no empty trailing page), that query drained to the end, and a transaction that
 * retries only transaction conflicts and reports which condition failed.
 */
import {
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { BackendUnavailableError, ValidationError } from '../../core/errors.js';
import type { Page } from '../../core/ports.js';
import { decodeCursor, encodeCursor } from '../common/page-cursor.js';
import { type Item, s } from './dynamo-keys.js';
import { rethrowSdkError } from './sdk-errors.js';

export interface PagedQuery {
  readonly input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;
  /** The key attributes of the queried table or index, partition first. */
  readonly keyNames: readonly string[];
  /** The partition being read, so a cursor from another listing is refused. */
  readonly partition: string;
}

/** Reads until `limit` matching items (plus one to know whether more exist) or the end. */
export async function queryPage(
  client: DynamoDBClient,
  table: string,
  query: PagedQuery,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Item>> {
  let start = cursor === undefined ? undefined : startKey(query, cursor);
  const items: Item[] = [];
  do {
    const output = await client
      .send(
        new QueryCommand({ ...query.input, TableName: table, Limit: limit + 1, ExclusiveStartKey: start }),
      )
      .catch((error: unknown) => rethrowSdkError(error, 'a DynamoDB query'));
    items.push(...(output.Items ?? []));
    start = output.LastEvaluatedKey;
  } while (start !== undefined && items.length <= limit);
  const last = items[limit - 1];
  if (items.length <= limit || last === undefined) return { items };
  const position = Object.fromEntries(query.keyNames.map((name) => [name, last[name]?.S ?? '']));
  return { items: items.slice(0, limit), cursor: encodeCursor(position) };
}

/** Every item the query matches, read page by page; for partitions known to stay small. */
export async function queryAll(client: DynamoDBClient, table: string, query: PagedQuery): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(client, table, query, 1000, cursor);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}

function startKey(query: PagedQuery, cursor: string): Item {
  const position = decodeCursor(
    cursor,
    Object.fromEntries(query.keyNames.map((name) => [name, 'string'] as const)),
  );
  if (position[query.keyNames[0]!] !== query.partition) {
    throw new ValidationError(
      'PAGE.INVALID_CURSOR',
      `page cursor ${JSON.stringify(cursor)} belongs to another listing`,
    );
  }
  return Object.fromEntries(query.keyNames.map((name) => [name, s(String(position[name]))]));
}

export type TransactionOutcome = { readonly ok: true } | { readonly ok: false; readonly failedIndex: number };

const MAX_CONFLICT_ATTEMPTS = 6;

/**
 * Runs a transaction. A failed condition is an answer (returned with its item's index), not
 * an error. TransactionConflict means another transaction held an item; retrying lets the
 * conditions decide, which is what makes concurrent CAS moves end in exactly one winner.
 */
export async function transact(
  client: DynamoDBClient,
  items: TransactWriteItem[],
): Promise<TransactionOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) rethrowSdkError(error, 'a DynamoDB transaction');
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
      const failedIndex = codes.indexOf('ConditionalCheckFailed');
      if (failedIndex >= 0) return { ok: false, failedIndex };
      const retryable = codes.some((code) => code === 'TransactionConflict' || code === 'ThrottlingError');
      if (!retryable || attempt >= MAX_CONFLICT_ATTEMPTS) {
        throw new BackendUnavailableError(`a DynamoDB transaction was cancelled (${codes.join(', ')})`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}
