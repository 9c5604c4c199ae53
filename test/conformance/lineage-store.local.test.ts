import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteLineageStore } from '../../functions/adapters/local/sqlite-lineage-store.js';
import { defineLineageStoreConformance } from './lineage-store-conformance.js';

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
    async close() {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
