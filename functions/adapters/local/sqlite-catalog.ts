/**
 * The catalog listings of the embedded store: datasets (each at its latest registration)
 * and manifests, newest first, with the filters of docs/DATA-MODEL.md ("Catalog"). Both are
 * keyset-paged on indexed columns, so a page costs the same however deep it is.
 */
import type { Database } from 'better-sqlite3';
import type { DatasetRecord, StoredManifest } from '../../../schemas/records.js';
import type {
  CatalogSplit,
  DatasetFilter,
  IdKind,
  Page,
  PageRequest,
  SplitFilter,
} from '../../core/ports.js';
import { decodeScopedCursor, pageLimit } from '../common/page-cursor.js';
import { utcSortKey } from '../common/sort-keys.js';
import { pageOfRows } from './sqlite-page.js';

// A registration is listed only when no later one of the same dataset exists (primary key scan).
const DATASETS_SQL = `
SELECT r.sha256, r.at_key, r.id, r.data FROM dataset_registrations r
 WHERE NOT EXISTS (
         SELECT 1 FROM dataset_registrations later
          WHERE later.sha256 = r.sha256 AND (later.at_key, later.id) > (r.at_key, r.id))
   AND (:prefix IS NULL OR substr(json_extract(r.data, '$.name'), 1, length(:prefix)) = :prefix)
   AND (:at IS NULL OR (r.at_key, r.sha256) < (:at, :sha))
 ORDER BY r.at_key DESC, r.sha256 DESC
 LIMIT :limit`;

// createdAt is written by toISOString, so it sorts as time; manifests_by_time indexes it.
const SPLITS_SQL = `
SELECT * FROM (
  SELECT m.id, m.data, json_extract(m.data, '$.createdAt') AS created,
         (SELECT json_extract(f.data, '$.provenance.version') FROM freeze_events f
           WHERE f.manifest_id = m.id ORDER BY f.at_key, f.request_id LIMIT 1) AS version
    FROM manifests m
   WHERE (:dataset IS NULL OR m.dataset_sha256 = :dataset)
     AND (:createdBy IS NULL OR json_extract(m.data, '$.createdBy') = :createdBy)
     AND (:from IS NULL OR json_extract(m.data, '$.createdAt') >= :from)
     AND (:to IS NULL OR json_extract(m.data, '$.createdAt') <= :to)
     AND (:created IS NULL OR (json_extract(m.data, '$.createdAt'), m.id) < (:created, :id)))
 WHERE (:version IS NULL OR version = :version)
 ORDER BY created DESC, id DESC
 LIMIT :limit`;

export function listDatasets(db: Database, filter: DatasetFilter, page: PageRequest): Page<DatasetRecord> {
  const limit = pageLimit(page);
  const scope = 'datasets';
  const after = page.cursor
    ? decodeScopedCursor(page.cursor, scope, { at: 'string', sha: 'string' })
    : undefined;
  const rows = db.prepare(DATASETS_SQL).all({
    prefix: filter.namePrefix ?? null,
    at: after?.at ?? null,
    sha: after?.sha ?? null,
    limit: limit + 1,
  }) as { sha256: string; at_key: string; data: string }[];
  return pageOfRows(
    rows,
    limit,
    scope,
    (row) => JSON.parse(row.data) as DatasetRecord,
    (last) => ({ at: last.at_key, sha: last.sha256 }),
  );
}

export function listSplits(db: Database, filter: SplitFilter, page: PageRequest): Page<CatalogSplit> {
  const limit = pageLimit(page);
  const scope = 'splits';
  const after = page.cursor
    ? decodeScopedCursor(page.cursor, scope, { created: 'string', id: 'string' })
    : undefined;
  const rows = db.prepare(SPLITS_SQL).all({
    dataset: filter.dataset ?? null,
    createdBy: filter.createdBy ?? null,
    version: filter.version ?? null,
    from: filter.from === undefined ? null : utcSortKey(filter.from),
    to: filter.to === undefined ? null : utcSortKey(filter.to),
    created: after?.created ?? null,
    id: after?.id ?? null,
    limit: limit + 1,
  }) as { id: string; data: string; created: string; version: string | null }[];
  return pageOfRows(
    rows,
    limit,
    scope,
    (row) => ({
      manifest: JSON.parse(row.data) as StoredManifest,
      ...(row.version === null ? {} : { version: row.version }),
    }),
    (last) => ({ created: last.created, id: last.id }),
  );
}

// All are index range scans: ids are lower-case hex, so every id with the prefix sorts
// between the prefix and the prefix followed by 'g'. Artifacts use the three expression
// indexes of sqlite-schema.ts, whose expressions these must repeat exactly to be used.
const artifactScan = (split: string) =>
  `SELECT json_extract(data, '$.splits.${split}.sha256') AS id FROM manifests
   WHERE json_extract(data, '$.splits.${split}.sha256') >= :low
     AND json_extract(data, '$.splits.${split}.sha256') < :high`;
const FIND_IDS_SQL: Readonly<Record<IdKind, string>> = {
  manifest: 'SELECT id FROM manifests WHERE id >= :low AND id < :high ORDER BY id LIMIT :limit',
  dataset: `SELECT sha256 AS id FROM dataset_registrations WHERE sha256 >= :low AND sha256 < :high
            UNION SELECT sha256 AS id FROM datasets WHERE sha256 >= :low AND sha256 < :high
            ORDER BY id LIMIT :limit`,
  artifact: `${['train', 'validation', 'test'].map(artifactScan).join(' UNION ')} ORDER BY id LIMIT :limit`,
};

export function findIds(db: Database, kind: IdKind, prefix: string, limit: number): string[] {
  const rows = db.prepare(FIND_IDS_SQL[kind]).all({ low: prefix, high: `${prefix}g`, limit }) as {
    id: string;
  }[];
  return rows.map((row) => row.id);
}
