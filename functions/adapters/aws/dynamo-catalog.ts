/**
 * The catalog on gsi1 (docs/DATA-MODEL.md, "Catalog"). Each dataset has one catalog item,
 * DATASET#<sha256> / CATALOG, replaced in the transaction of every registration, so gsi1
 * partition DATASETS lists each dataset once at its latest registration. Each manifest item
 * carries gsi1 partition SPLITS itself (written once, with the manifest), so listing splits
 * adds no item and no IAM grant. Both read newest first; other filters are FilterExpressions.
 */
import { type DynamoDBClient, QueryCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { DatasetRecord, FreezeEvent, StoredManifest } from '../../../schemas/records.js';
import type {
  CatalogSplit,
  DatasetFilter,
  IdKind,
  Page,
  PageRequest,
  SplitFilter,
} from '../../core/ports.js';
import { pageLimit } from '../common/page-cursor.js';
import { utcSortKey } from '../common/sort-keys.js';
import { type Item, idPartition, parseData, s } from './dynamo-keys.js';
import { queryPage } from './dynamo-requests.js';
import { rethrowSdkError } from './sdk-errors.js';

const DATASETS = 'DATASETS';
const SPLITS = 'SPLITS';
const GSI_KEYS = ['gsi1pk', 'gsi1sk', 'pk', 'sk'] as const;

/** The catalog item of a dataset, replaced by each registration (last writer wins). */
export function datasetCatalogPut(table: string, registration: DatasetRecord): TransactWriteItem {
  return {
    Put: {
      TableName: table,
      Item: {
        pk: s(`DATASET#${registration.sha256}`),
        sk: s('CATALOG'),
        gsi1pk: s(DATASETS),
        gsi1sk: s(`${utcSortKey(registration.createdAt)}#${registration.sha256}`),
        ...(registration.name === undefined ? {} : { name: s(registration.name) }),
        data: s(JSON.stringify(registration)),
      },
    },
  };
}

/** Attributes that put a manifest item on the SPLITS listing, with what its filters read. */
export function manifestCatalogAttributes(manifest: StoredManifest, event: FreezeEvent): Item {
  const version = event.provenance?.version;
  return {
    gsi1pk: s(SPLITS),
    gsi1sk: s(`${utcSortKey(manifest.createdAt)}#${manifest.id}`),
    dataset: s(manifest.dataset.sha256),
    createdBy: s(manifest.createdBy),
    ...(version === undefined ? {} : { version: s(version) }),
  };
}

export async function listDatasets(
  client: DynamoDBClient,
  table: string,
  filter: DatasetFilter,
  page: PageRequest,
): Promise<Page<DatasetRecord>> {
  const prefix = filter.namePrefix;
  const result = await queryPage(
    client,
    table,
    {
      input: {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': s(DATASETS), ...(prefix ? { ':prefix': s(prefix) } : {}) },
        ...(prefix
          ? { FilterExpression: 'begins_with(#name, :prefix)', ExpressionAttributeNames: { '#name': 'name' } }
          : {}),
        ScanIndexForward: false,
      },
      keyNames: GSI_KEYS,
      partition: DATASETS,
    },
    pageLimit(page),
    page.cursor,
  );
  return { ...result, items: result.items.map((item) => parseData<DatasetRecord>(item)!) };
}

export async function listSplits(
  client: DynamoDBClient,
  table: string,
  filter: SplitFilter,
  page: PageRequest,
): Promise<Page<CatalogSplit>> {
  const values: Item = { ':p': s(SPLITS) };
  // '#' sorts before every hex digit and '~' after them, so these bound whole sort keys.
  const range: string[] = [];
  if (filter.from !== undefined) {
    values[':from'] = s(`${utcSortKey(filter.from)}#`);
    range.push('gsi1sk >= :from');
  }
  if (filter.to !== undefined) {
    values[':to'] = s(`${utcSortKey(filter.to)}#~`);
    range.push('gsi1sk <= :to');
  }
  const key =
    range.length === 2
      ? 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to'
      : ['gsi1pk = :p', ...range].join(' AND ');
  const names: Record<string, string> = {};
  const conditions: string[] = [];
  for (const field of ['dataset', 'createdBy', 'version'] as const) {
    const value = filter[field];
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = s(value);
    conditions.push(`#${field} = :${field}`);
  }
  const result = await queryPage(
    client,
    table,
    {
      input: {
        IndexName: 'gsi1',
        KeyConditionExpression: key,
        ExpressionAttributeValues: values,
        ...(conditions.length > 0
          ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ScanIndexForward: false,
      },
      keyNames: GSI_KEYS,
      partition: SPLITS,
    },
    pageLimit(page),
    page.cursor,
  );
  return {
    ...result,
    items: result.items.map((item) => ({
      manifest: parseData<StoredManifest>(item)!,
      ...(item.version?.S === undefined ? {} : { version: item.version.S }),
    })),
  };
}

/**
 * Distinct ids starting with `prefix`. An id appears once per registration, freeze or
 * listing manifest, all side by side in id order, so reading on until `limit` distinct ids
 * stays short.
 */
export async function findIds(
  client: DynamoDBClient,
  table: string,
  kind: IdKind,
  prefix: string,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  let start: Item | undefined;
  do {
    const output = await client
      .send(
        new QueryCommand({
          TableName: table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :prefix)',
          FilterExpression: 'begins_with(pk, :family)',
          ExpressionAttributeValues: {
            ':p': s(idPartition(kind, prefix)),
            ':prefix': s(prefix),
            // The kind's own item family (MANIFEST#, DATASET#, ARTIFACT#): IAM limits puts by
            // partition key only, so an item of another family planted under an IDS# key is
            // skipped rather than offered as a candidate.
            ':family': s(`${kind.toUpperCase()}#`),
          },
          ProjectionExpression: 'pk, gsi1sk',
          ExclusiveStartKey: start,
        }),
      )
      .catch((error: unknown) => rethrowSdkError(error, `finding ${kind} ids starting ${prefix}`));
    for (const item of output.Items ?? []) {
      const id = item.gsi1sk?.S;
      if (id !== undefined && ids.at(-1) !== id && !ids.includes(id)) ids.push(id);
      if (ids.length >= limit) return ids;
    }
    start = output.LastEvaluatedKey;
  } while (start !== undefined);
  return ids;
}
