/**
 * The embedded LineageStore on better-sqlite3: WAL mode, schema created on open, and every
 * change plus its audit row in one BEGIN IMMEDIATE transaction (the same guarantees as the
 * DynamoDB transactions of the AWS adapter).
 */
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type {
  AliasMove,
  AliasRecord,
  AuditEntry,
  DatasetRecord,
  FreezeEvent,
  Job,
  StoredManifest,
} from '../../../schemas/records.js';
import { BackendUnavailableError, StorageFullError } from '../../core/errors.js';
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
import { decodeScopedCursor, pageLimit } from '../common/page-cursor.js';
import { utcSortKey } from '../common/sort-keys.js';
import * as aliases from './sqlite-aliases.js';
import { insertAudit, listAudit } from './sqlite-audit.js';
import * as catalog from './sqlite-catalog.js';
import * as jobs from './sqlite-jobs.js';
import { pageOfRows } from './sqlite-page.js';
import { SQLITE_SCHEMA } from './sqlite-schema.js';

export interface SqliteLineageStoreOptions {
  /** A file path, or ':memory:' for tests. */
  readonly path: string;
  /** How long a writer waits for another connection's lock before giving up. @default 5000 */
  readonly busyTimeoutMs?: number;
  /**
   * Caps the database at this many pages (PRAGMA max_page_count): a write past it is
   * StorageFullError, as on a full disk. @default SQLite's own limit
   */
  readonly maxPageCount?: number;
}

const MANIFEST_CACHE_SIZE = 1024;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The embedded LineageStore. Call close() when done. */
export class SqliteLineageStore implements LineageStore, CatalogStore {
  readonly #db: Database;
  // Preparing costs more than running a point lookup, so each distinct SQL text is prepared once.
  readonly #statements = new Map<string, Statement>();
  // Manifests are content-addressed and never rewritten, so a parsed one stays true; frozen,
  // because every reader shares the object. Bounded: oldest entry out first.
  readonly #manifests = new Map<string, StoredManifest>();

  constructor(options: SqliteLineageStoreOptions) {
    this.#db = new BetterSqlite3(options.path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.#db.pragma('foreign_keys = ON');
    this.#db.exec(SQLITE_SCHEMA);
    if (options.maxPageCount !== undefined) {
      if (!Number.isSafeInteger(options.maxPageCount) || options.maxPageCount < 1) {
        throw new RangeError(`maxPageCount must be a positive integer, got ${options.maxPageCount}`);
      }
      this.#db.pragma(`max_page_count = ${options.maxPageCount}`);
    }
  }

  close(): void {
    this.#db.close();
  }

  async registerDataset(registration: DatasetRecord, audit: AuditEntry): Promise<void> {
    this.#write(() => {
      // The audit row first: a reused entry id fails as AUDIT.DUPLICATE before anything lands.
      insertAudit(this.#db, audit);
      this.#prepare(
        'INSERT INTO dataset_registrations (sha256, at_key, id, bytes, data) VALUES (?, ?, ?, ?, ?)',
      ).run(
        registration.sha256,
        utcSortKey(registration.createdAt),
        audit.id,
        registration.bytes,
        JSON.stringify(registration),
      );
    });
  }

  async getDataset(sha256: string, options: DatasetLookup = {}): Promise<DatasetRecord | undefined> {
    const latest =
      options.bytes === undefined
        ? this.#one<DatasetRecord>(
            'SELECT data FROM dataset_registrations WHERE sha256 = ? ORDER BY at_key DESC, id DESC LIMIT 1',
            sha256,
          )
        : this.#one<DatasetRecord>(
            `SELECT data FROM dataset_registrations WHERE sha256 = ? AND bytes = ?
               ORDER BY at_key DESC, id DESC LIMIT 1`,
            sha256,
            options.bytes,
          );
    if (latest) return latest;
    // Stores written before registrations were kept hold one first-come row per dataset.
    const legacy = this.#one<DatasetRecord>('SELECT data FROM datasets WHERE sha256 = ?', sha256);
    return legacy && (options.bytes === undefined || legacy.bytes === options.bytes) ? legacy : undefined;
  }

  async putManifest(
    manifest: StoredManifest,
    event: FreezeEvent,
    parents: readonly string[],
    audit: AuditEntry,
  ): Promise<{ readonly created: boolean }> {
    const parentIds = normaliseParents(manifest.id, parents);
    return this.#write(() => {
      const inserted = this.#prepare(
        'INSERT INTO manifests (id, dataset_sha256, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ).run(manifest.id, manifest.dataset.sha256, JSON.stringify(manifest));
      const created = inserted.changes === 1;
      if (created) {
        const edge = this.#prepare('INSERT INTO edges (child, parent) VALUES (?, ?) ON CONFLICT DO NOTHING');
        for (const parent of parentIds) edge.run(manifest.id, parent);
      }
      this.#prepare(
        `INSERT INTO freeze_events (manifest_id, at_key, request_id, data) VALUES (?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET data = excluded.data`,
      ).run(event.manifestId, utcSortKey(event.at), event.requestId, JSON.stringify(event));
      insertAudit(this.#db, audit);
      return { created };
    });
  }

  async getManifest(id: string): Promise<StoredManifest | undefined> {
    const cached = this.#manifests.get(id);
    if (cached !== undefined) return cached;
    const manifest = this.#one<StoredManifest>('SELECT data FROM manifests WHERE id = ?', id);
    if (manifest === undefined) return undefined;
    if (this.#manifests.size >= MANIFEST_CACHE_SIZE) {
      this.#manifests.delete(this.#manifests.keys().next().value as string);
    }
    this.#manifests.set(id, deepFreeze(manifest));
    return manifest;
  }

  async listFreezeEvents(manifestId: string): Promise<readonly FreezeEvent[]> {
    return this.#all<FreezeEvent>(
      'SELECT data FROM freeze_events WHERE manifest_id = ? ORDER BY at_key, request_id',
      manifestId,
    );
  }

  async listManifestsByDataset(datasetSha256: string, page: PageRequest): Promise<Page<string>> {
    const limit = pageLimit(page);
    const scope = `manifests:${datasetSha256}`;
    const after =
      page.cursor === undefined ? '' : String(decodeScopedCursor(page.cursor, scope, { id: 'string' }).id);
    const rows = this.#prepare(
      'SELECT id FROM manifests WHERE dataset_sha256 = ? AND id > ? ORDER BY id LIMIT ?',
    ).all(datasetSha256, after, limit + 1) as { id: string }[];
    return pageOfRows(
      rows,
      limit,
      scope,
      (row) => row.id,
      (last) => ({ id: last.id }),
    );
  }

  async listDatasets(filter: DatasetFilter, page: PageRequest): Promise<Page<DatasetRecord>> {
    return catalog.listDatasets(this.#db, filter, page);
  }

  async listSplits(filter: SplitFilter, page: PageRequest): Promise<Page<CatalogSplit>> {
    return catalog.listSplits(this.#db, filter, page);
  }

  async findIds(kind: IdKind, prefix: string, limit: number): Promise<readonly string[]> {
    return catalog.findIds(this.#db, kind, prefix, limit);
  }

  async listParents(manifestId: string): Promise<readonly string[]> {
    const rows = this.#prepare('SELECT parent FROM edges WHERE child = ? ORDER BY parent').all(manifestId);
    return (rows as { parent: string }[]).map((row) => row.parent);
  }

  async listChildren(manifestId: string): Promise<readonly string[]> {
    const rows = this.#prepare('SELECT child FROM edges WHERE parent = ? ORDER BY child').all(manifestId);
    return (rows as { child: string }[]).map((row) => row.child);
  }

  async moveAlias(request: AliasMoveRequest): Promise<AliasRecord> {
    return this.#write(() => aliases.moveAlias(this.#db, request));
  }

  async getAlias(name: string): Promise<AliasRecord | undefined> {
    return this.#one<AliasRecord>('SELECT data FROM aliases WHERE name = ?', name);
  }

  async listAliases(page: PageRequest): Promise<Page<AliasRecord>> {
    return aliases.listAliases(this.#db, page);
  }

  async aliasHistory(name: string, page: PageRequest): Promise<Page<AliasMove>> {
    return aliases.aliasHistory(this.#db, name, page);
  }

  async aliasAt(name: string, at: string): Promise<AliasMove | undefined> {
    return aliases.aliasAt(this.#db, name, at);
  }

  async aliasRevision(name: string, revision: number): Promise<AliasMove | undefined> {
    return aliases.aliasRevision(this.#db, name, revision);
  }

  async createJob(job: Job): Promise<void> {
    this.#write(() => jobs.createJob(this.#db, job));
  }

  async getJob(id: string): Promise<Job | undefined> {
    return this.#one<Job>('SELECT data FROM jobs WHERE id = ?', id);
  }

  async updateJob(job: Job): Promise<void> {
    this.#write(() => jobs.updateJob(this.#db, job));
  }

  async swapJob(job: Job, expectedRevision: number): Promise<boolean> {
    return this.#write(() => jobs.swapJob(this.#db, job, expectedRevision));
  }

  async listUnfinishedJobs(limit: number): Promise<readonly Job[]> {
    return jobs.listUnfinishedJobs(this.#db, limit);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.#write(() => insertAudit(this.#db, entry));
  }

  async listAudit(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    return listAudit(this.#db, filter, page);
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so a read-then-write can't interleave. */
  #write<T>(body: () => T): T {
    try {
      return this.#db.transaction(body).immediate();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_BUSY') {
        throw new BackendUnavailableError('the lineage database stayed locked by another writer', {
          cause: error,
        });
      }
      // The transaction was rolled back whole, so a full disk leaves no partial rows behind.
      if (code === 'SQLITE_FULL') {
        throw new StorageFullError('the lineage database has no room to grow', { cause: error });
      }
      throw error;
    }
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #one<T>(sql: string, ...args: unknown[]): T | undefined {
    const row = this.#prepare(sql).get(...args) as { data: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.data) as T);
  }

  #all<T>(sql: string, ...args: unknown[]): T[] {
    return (this.#prepare(sql).all(...args) as { data: string }[]).map((row) => JSON.parse(row.data) as T);
  }
}
