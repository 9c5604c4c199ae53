import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';
import { SqliteLineageStore } from '../../functions/adapters/local/sqlite-lineage-store.js';
import { defineLeakageConformance } from './leakage-conformance.js';

defineLeakageConformance('files and SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-leakage-'));
  const blobs = new FsBlobStore({
    dir: join(dir, 'blobs'),
    publicBaseUrl: 'http://127.0.0.1:1',
    secret: randomBytes(32),
    retentionDays: 30,
  });
  const lineage = new SqliteLineageStore({ path: join(dir, 'lineage.sqlite') });
  return {
    blobs,
    lineage,
    async close() {
      lineage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
