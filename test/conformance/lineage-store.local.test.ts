import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLineageStore } from '../../functions/adapters/local/sqlite-lineage-store.js';
import { defineLineageStoreConformance } from './lineage-store-conformance.js';

defineLineageStoreConformance('SQLite', async () => {
  // A real file, not :memory:, so WAL mode and the on-open schema are exercised.
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-lineage-'));
  const store = new SqliteLineageStore({ path: join(dir, 'lineage.db') });
  return {
    store,
    async close() {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
