/**
 * The LineageStore on one DynamoDB table (keys in ./table-schema.ts, item types in
 * ./dynamo-keys.ts, design in docs/DATA-MODEL.md). Every change and its audit copies are one
 * TransactWriteItems call, so the audit log can't disagree with the data.
 */
import { type DynamoDBClient, GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type {
  AliasMove,
  AliasRecord,
  AuditEntry,
  DatasetRecord,
  FreezeEvent,
  Job,
  StoredManifest,
} from '../../../schemas/records.js';
import type {
  AliasMoveRequest,
  AuditFilter,
  CatalogSplit,
  CatalogStore,
  DatasetFilter,
  DatasetLookup,
  IdKind,
  LineageStore,
  Page,
  PageRequest,
  SplitFilter,
} from '../../core/ports.js';
import { normaliseParents } from '../common/lineage-rules.js';
import { pageLimit } from '../common/page-cursor.js';
import * as aliases from './dynamo-aliases.js';
import { putArtifactItems } from './dynamo-artifacts.js';
import { auditPuts, listAudit } from './dynamo-audit.js';
import { findIds, listDatasets, listSplits, manifestCatalogAttributes } from './dynamo-catalog.js';
import * as datasets from './dynamo-datasets.js';
import * as jobs from './dynamo-jobs.js';
import { type Item, keys, parseData, s } from './dynamo-keys.js';
import { queryAll, queryPage, transact } from './dynamo-requests.js';
import { rethrowSdkError } from './sdk-errors.js';

export interface DynamoLineageStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** The AWS LineageStore. */
export class DynamoLineageStore implements LineageStore, CatalogStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;

  constructor(options: DynamoLineageStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
  }

  async registerDataset(registration: DatasetRecord, audit: AuditEntry): Promise<void> {
    if (!(await datasets.registerDataset(this.#client, this.#table, registration, audit))) {
      throw aliases.duplicateAudit(audit.id);
    }
  }

  getDataset(sha256: string, options: DatasetLookup = {}): Promise<DatasetRecord | undefined> {
    return datasets.getDataset(this.#client, this.#table, sha256, options);
  }

  async putManifest(
    manifest: StoredManifest,
    event: FreezeEvent,
    parents: readonly string[],
    audit: AuditEntry,
  ): Promise<{ readonly created: boolean }> {
    const parentIds = normaliseParents(manifest.id, parents);
    const eventAndAudit: TransactWriteItem[] = [
      this.#put({
        ...keys.freezeEvent(event.manifestId, event.at, event.requestId),
        data: s(JSON.stringify(event)),
      }),
      ...auditPuts(this.#table, audit),
    ];
    // Before the manifest, so a manifest on record always has its artifacts indexed, even
    // if this run stops between the two and a retry finds the manifest already there.
    await putArtifactItems(this.#client, this.#table, manifest);
    const first = await transact(this.#client, [
      this.#putIfAbsent({
        ...keys.manifest(manifest.id),
        ...manifestCatalogAttributes(manifest, event),
        data: s(JSON.stringify(manifest)),
      }),
      this.#put(keys.datasetManifest(manifest.dataset.sha256, manifest.id)),
      ...parentIds.map((parent) => this.#put(keys.parentEdge(manifest.id, parent))),
      ...eventAndAudit,
    ]);
    if (first.ok) return { created: true };
    if (first.failedIndex !== 0) throw aliases.duplicateAudit(audit.id);
    // The manifest exists already: this freeze adds only its event and audit entry.
    const again = await transact(this.#client, eventAndAudit);
    if (!again.ok) throw aliases.duplicateAudit(audit.id);
    return { created: false };
  }

  async getManifest(id: string): Promise<StoredManifest | undefined> {
    return parseData(await this.#get(keys.manifest(id), `reading manifest ${id}`));
  }

  async listFreezeEvents(manifestId: string): Promise<readonly FreezeEvent[]> {
    return (await this.#queryAll(`MANIFEST#${manifestId}`, 'FREEZE#')).map(
      (item) => parseData<FreezeEvent>(item)!,
    );
  }

  async listManifestsByDataset(datasetSha256: string, page: PageRequest): Promise<Page<string>> {
    const partition = `DATASET#${datasetSha256}`;
    const result = await queryPage(
      this.#client,
      this.#table,
      {
        input: {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': s(partition), ':prefix': s('MANIFEST#') },
          ConsistentRead: true,
        },
        keyNames: ['pk', 'sk'],
        partition,
      },
      pageLimit(page),
      page.cursor,
    );
    return { ...result, items: result.items.map((item) => item.sk!.S!.slice('MANIFEST#'.length)) };
  }

  /** Read from gsi1: eventually consistent on AWS, like listChildren. */
  listDatasets(filter: DatasetFilter, page: PageRequest): Promise<Page<DatasetRecord>> {
    return listDatasets(this.#client, this.#table, filter, page);
  }

  /** Read from gsi1: eventually consistent on AWS, like listChildren. */
  listSplits(filter: SplitFilter, page: PageRequest): Promise<Page<CatalogSplit>> {
    return listSplits(this.#client, this.#table, filter, page);
  }

  /** Read from gsi1: a record registered or frozen a moment ago may take a moment to resolve. */
  findIds(kind: IdKind, prefix: string, limit: number): Promise<readonly string[]> {
    return findIds(this.#client, this.#table, kind, prefix, limit);
  }

  async listParents(manifestId: string): Promise<readonly string[]> {
    const items = await this.#queryAll(`MANIFEST#${manifestId}`, 'PARENT#');
    return items.map((item) => item.sk!.S!.slice('PARENT#'.length));
  }

  /**
   * Read from gsi1, so on AWS a child frozen a moment ago may take a moment to appear. IAM
   * limits who writes an item by its pk only, so an item of another family (a job the API
   * wrote) could carry this gsi1pk too: only parent edges count, and the child is read from
   * the edge's own key, which only the worker can write.
   */
  async listChildren(manifestId: string): Promise<readonly string[]> {
    const partition = `CHILDREN#${manifestId}`;
    const items = await queryAll(this.#client, this.#table, {
      input: {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        FilterExpression: 'begins_with(pk, :manifest) AND sk = :edge',
        ExpressionAttributeValues: {
          ':p': s(partition),
          ':manifest': s('MANIFEST#'),
          ':edge': s(`PARENT#${manifestId}`),
        },
      },
      keyNames: ['gsi1pk', 'gsi1sk', 'pk', 'sk'],
      partition,
    });
    return items.map((item) => item.pk!.S!.slice('MANIFEST#'.length));
  }

  moveAlias(request: AliasMoveRequest): Promise<AliasRecord> {
    return aliases.moveAlias(this.#client, this.#table, request);
  }

  async getAlias(name: string): Promise<AliasRecord | undefined> {
    return parseData(await aliases.getAliasItem(this.#client, this.#table, name));
  }

  listAliases(page: PageRequest): Promise<Page<AliasRecord>> {
    return aliases.listAliases(this.#client, this.#table, page);
  }

  aliasHistory(name: string, page: PageRequest): Promise<Page<AliasMove>> {
    return aliases.aliasHistory(this.#client, this.#table, name, page);
  }

  aliasAt(name: string, at: string): Promise<AliasMove | undefined> {
    return aliases.aliasAt(this.#client, this.#table, name, at);
  }

  aliasRevision(name: string, revision: number): Promise<AliasMove | undefined> {
    return aliases.aliasRevision(this.#client, this.#table, name, revision);
  }

  createJob(job: Job): Promise<void> {
    return jobs.createJob(this.#client, this.#table, job);
  }

  getJob(id: string): Promise<Job | undefined> {
    return jobs.getJob(this.#client, this.#table, id);
  }

  updateJob(job: Job): Promise<void> {
    return jobs.updateJob(this.#client, this.#table, job);
  }

  swapJob(job: Job, expectedRevision: number): Promise<boolean> {
    return jobs.swapJob(this.#client, this.#table, job, expectedRevision);
  }

  listUnfinishedJobs(limit: number): Promise<readonly Job[]> {
    return jobs.listUnfinishedJobs(this.#client, this.#table, limit);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const outcome = await transact(this.#client, auditPuts(this.#table, entry));
    if (!outcome.ok) throw aliases.duplicateAudit(entry.id);
  }

  listAudit(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    return listAudit(this.#client, this.#table, filter, page);
  }

  #put(item: Item): TransactWriteItem {
    return { Put: { TableName: this.#table, Item: item } };
  }

  #putIfAbsent(item: Item): TransactWriteItem {
    return { Put: { TableName: this.#table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  async #get(key: Item, doing: string): Promise<Item | undefined> {
    const output = await this.#client
      .send(new GetItemCommand({ TableName: this.#table, Key: key, ConsistentRead: true }))
      .catch((error: unknown) => rethrowSdkError(error, doing));
    return output.Item;
  }

  #queryAll(partition: string, prefix: string): Promise<Item[]> {
    return queryAll(this.#client, this.#table, {
      input: {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': s(partition), ':prefix': s(prefix) },
        ConsistentRead: true,
      },
      keyNames: ['pk', 'sk'],
      partition,
    });
  }
}
