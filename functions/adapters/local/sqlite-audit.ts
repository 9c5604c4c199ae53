/** Audit rows of the embedded store; always written inside the caller's transaction. */
import type { Database } from 'better-sqlite3';
import type { AuditEntry } from '../../../schemas/records.js';
import { AlreadyExistsError } from '../../core/errors.js';
import type { AuditFilter, Page, PageRequest } from '../../core/ports.js';
import { decodeScopedCursor, pageLimit } from '../common/page-cursor.js';
import { utcSortKey } from '../common/sort-keys.js';
import { pageOfRows } from './sqlite-page.js';

export function insertAudit(db: Database, entry: AuditEntry): void {
  const result = db
    .prepare(
      `INSERT INTO audit (at_key, id, actor, action, target, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    )
    .run(utcSortKey(entry.at), entry.id, entry.actor, entry.action, entry.target, JSON.stringify(entry));
  if (result.changes === 0) {
    throw new AlreadyExistsError(
      'AUDIT.DUPLICATE',
      `audit entry ${entry.id} at ${entry.at} is already recorded`,
    );
  }
}

/** Newest first; each filter column has its own index, so any single filter is a range scan. */
export function listAudit(db: Database, filter: AuditFilter, page: PageRequest): Page<AuditEntry> {
  const limit = pageLimit(page);
  const where: string[] = [];
  const args: (string | number)[] = [];
  for (const column of ['actor', 'action', 'target'] as const) {
    const value = filter[column];
    if (value !== undefined) {
      where.push(`${column} = ?`);
      args.push(value);
    }
  }
  const scope = `audit:${JSON.stringify([filter.actor ?? null, filter.action ?? null, filter.target ?? null])}`;
  if (page.cursor !== undefined) {
    const position = decodeScopedCursor(page.cursor, scope, { at: 'string', id: 'string' });
    where.push('(at_key, id) < (?, ?)');
    args.push(String(position.at), String(position.id));
  }
  const sql = `SELECT at_key, id, data FROM audit ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY at_key DESC, id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, limit + 1) as { at_key: string; id: string; data: string }[];
  return pageOfRows(
    rows,
    limit,
    scope,
    (row) => JSON.parse(row.data) as AuditEntry,
    (last) => ({ at: last.at_key, id: last.id }),
  );
}
