/**
 * Alias pointer and history for the embedded store. The pointer update, the history row and
 * the audit row share one BEGIN IMMEDIATE transaction, so history can neither miss nor
 * duplicate a move.
 */
import type { Database } from 'better-sqlite3';
import type { AliasMove, AliasRecord } from '../../../schemas/records.js';
import type { AliasMoveRequest, Page, PageRequest } from '../../core/ports.js';
import { aliasConflict, aliasMoveRecords } from '../common/alias-move.js';
import { decodeScopedCursor, pageLimit } from '../common/page-cursor.js';
import { utcSortKey } from '../common/sort-keys.js';
import { insertAudit } from './sqlite-audit.js';
import { pageOfRows } from './sqlite-page.js';

/** Must run inside the caller's BEGIN IMMEDIATE transaction: the read and the write form one CAS. */
export function moveAlias(db: Database, request: AliasMoveRequest): AliasRecord {
  const atKey = utcSortKey(request.at);
  const current = db.prepare('SELECT revision, data FROM aliases WHERE name = ?').get(request.name) as
    | { revision: number; data: string }
    | undefined;
  const currentRevision = current?.revision ?? 0;
  if (currentRevision !== request.expectedRevision) throw aliasConflict(request, currentRevision);
  const revision = currentRevision + 1;
  const previous = current === undefined ? undefined : (JSON.parse(current.data) as AliasRecord);
  const { record, move } = aliasMoveRecords(request, revision, previous);
  db.prepare(
    `INSERT INTO aliases (name, revision, data) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET revision = excluded.revision, data = excluded.data`,
  ).run(request.name, revision, JSON.stringify(record));
  db.prepare('INSERT INTO alias_moves (name, revision, at_key, data) VALUES (?, ?, ?, ?)').run(
    request.name,
    revision,
    atKey,
    JSON.stringify(move),
  );
  insertAudit(db, request.audit);
  return record;
}

export function listAliases(db: Database, page: PageRequest): Page<AliasRecord> {
  const limit = pageLimit(page);
  const after =
    page.cursor === undefined
      ? ''
      : String(decodeScopedCursor(page.cursor, 'aliases', { name: 'string' }).name);
  const rows = db
    .prepare('SELECT name, data FROM aliases WHERE name > ? ORDER BY name LIMIT ?')
    .all(after, limit + 1) as { name: string; data: string }[];
  return pageOfRows(
    rows,
    limit,
    'aliases',
    (row) => JSON.parse(row.data) as AliasRecord,
    (last) => ({ name: last.name }),
  );
}

export function aliasHistory(db: Database, name: string, page: PageRequest): Page<AliasMove> {
  const limit = pageLimit(page);
  const before =
    page.cursor === undefined
      ? Number.MAX_SAFE_INTEGER
      : Number(decodeScopedCursor(page.cursor, `history:${name}`, { revision: 'number' }).revision);
  const rows = db
    .prepare(
      'SELECT revision, data FROM alias_moves WHERE name = ? AND revision < ? ORDER BY revision DESC LIMIT ?',
    )
    .all(name, before, limit + 1) as { revision: number; data: string }[];
  return pageOfRows(
    rows,
    limit,
    `history:${name}`,
    (row) => JSON.parse(row.data) as AliasMove,
    (last) => ({ revision: last.revision }),
  );
}

/** The latest revision made at or before `at`: revisions order moves even if clocks skew. */
export function aliasAt(db: Database, name: string, at: string): AliasMove | undefined {
  const row = db
    .prepare('SELECT data FROM alias_moves WHERE name = ? AND at_key <= ? ORDER BY revision DESC LIMIT 1')
    .get(name, utcSortKey(at)) as { data: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.data) as AliasMove);
}

export function aliasRevision(db: Database, name: string, revision: number): AliasMove | undefined {
  const row = db
    .prepare('SELECT data FROM alias_moves WHERE name = ? AND revision = ?')
    .get(name, revision) as { data: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.data) as AliasMove);
}
