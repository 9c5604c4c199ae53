import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteLineageStore } from '../../functions/adapters/local/sqlite-lineage-store.js';
import { SQLITE_SCHEMA } from '../../functions/adapters/local/sqlite-schema.js';
import { defineLineageStoreConformance } from './lineage-store-conformance.js';
import { manifest } from './records.js';

defineLineageStoreConformance('SQLite', async () => {
  // A real file, not :memory:, so WAL mode and the on-open schema are exercised.
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-lineage-'));
  const path = join(dir, 'lineage.db');
  const store = new SqliteLineageStore({ path });
  return {
    store,
    async writeLegacyDataset(record) {
      const db = new BetterSqlite3(path);
      db.prepare('INSERT INTO datasets (sha256, data) VALUES (?, ?)').run(
        record.sha256,
        JSON.stringify(record),
      );
      db.close();
    },
    async writeLegacyManifest(manifest) {
      const db = new BetterSqlite3(path);
      db.prepare('INSERT INTO manifests (id, dataset_sha256, data) VALUES (?, ?, ?)').run(
        manifest.id,
        manifest.dataset.sha256,
        JSON.stringify(manifest),
      );
      db.close();
    },
    // The expression indexes cover every row, however old: nothing to run.
    async upgradeLegacyRecords() {},
    async close() {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteLineageStore opening a file from before artifact short ids', () => {
  it('indexes the artifacts of the manifests already there, so they resolve by prefix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'splitvault-lineage-old-'));
    const path = join(dir, 'lineage.db');
    const old = new BetterSqlite3(path);
    // The schema as it was: the same tables without the artifact expression indexes.
    old.exec(
      SQLITE_SCHEMA.replace(/CREATE INDEX IF NOT EXISTS manifests_by_(train|validation|test) [^\n]+\n/g, ''),
    );
    expect(old.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'manifests_by_t%'").all()).toEqual([
      { name: 'manifests_by_time' },
    ]);
    const legacy = manifest('m-before-artifact-index');
    old
      .prepare('INSERT INTO manifests (id, dataset_sha256, data) VALUES (?, ?, ?)')
      .run(legacy.id, legacy.dataset.sha256, JSON.stringify(legacy));
    old.close();
    const store = new SqliteLineageStore({ path });
    try {
      const train = legacy.splits.train.sha256;
      expect(await store.findIds('artifact', train.slice(0, 8), 10)).toEqual([train]);
    } finally {
      store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
