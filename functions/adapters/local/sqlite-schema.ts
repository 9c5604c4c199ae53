/**
 * Tables of the embedded lineage store, the SQLite twin of the DynamoDB single table
 * (docs/DATA-MODEL.md maps one onto the other). Records are kept whole as JSON in `data`;
 * the other columns exist only to key, order and filter.
 */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS datasets (
  sha256 TEXT PRIMARY KEY,
  data TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS dataset_registrations (
  sha256 TEXT NOT NULL,
  at_key TEXT NOT NULL,
  id TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (sha256, at_key, id)
) STRICT;
CREATE INDEX IF NOT EXISTS dataset_registrations_by_time ON dataset_registrations (at_key, sha256);
CREATE TABLE IF NOT EXISTS manifests (
  id TEXT PRIMARY KEY,
  dataset_sha256 TEXT NOT NULL,
  data TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS manifests_by_dataset ON manifests (dataset_sha256, id);
-- The catalog (sqlite-catalog.ts): manifests newest first, registrations newest first.
CREATE INDEX IF NOT EXISTS manifests_by_time ON manifests (json_extract(data, '$.createdAt'), id);
-- Artifact short ids (sqlite-catalog.ts): one expression index per split. SQLite builds an
-- index over the rows already there when it is created, so stores written before it need no
-- backfill.
CREATE INDEX IF NOT EXISTS manifests_by_train ON manifests (json_extract(data, '$.splits.train.sha256'));
CREATE INDEX IF NOT EXISTS manifests_by_validation ON manifests (json_extract(data, '$.splits.validation.sha256'));
CREATE INDEX IF NOT EXISTS manifests_by_test ON manifests (json_extract(data, '$.splits.test.sha256'));
CREATE TABLE IF NOT EXISTS freeze_events (
  manifest_id TEXT NOT NULL,
  at_key TEXT NOT NULL,
  request_id TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (manifest_id, at_key, request_id)
) STRICT;
CREATE TABLE IF NOT EXISTS edges (
  child TEXT NOT NULL,
  parent TEXT NOT NULL,
  PRIMARY KEY (child, parent)
) STRICT;
CREATE INDEX IF NOT EXISTS edges_by_parent ON edges (parent, child);
CREATE TABLE IF NOT EXISTS aliases (
  name TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS alias_moves (
  name TEXT NOT NULL,
  revision INTEGER NOT NULL,
  at_key TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (name, revision)
) STRICT;
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  data TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS audit (
  at_key TEXT NOT NULL,
  id TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (at_key, id)
) STRICT;
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit (actor, at_key, id);
CREATE INDEX IF NOT EXISTS audit_by_action ON audit (action, at_key, id);
CREATE INDEX IF NOT EXISTS audit_by_target ON audit (target, at_key, id);
`;
