import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';
import { SqliteLineageStore } from '../../functions/adapters/local/sqlite-lineage-store.js';

/** The embedded backend's blob and lineage stores in a fresh temp dir, and a way to remove both. */
export interface EmbeddedStores {
  /** The temp dir, for anything else a suite keeps beside the stores. */
  readonly dir: string;
  readonly blobs: FsBlobStore;
  readonly lineage: SqliteLineageStore;
  /** Closes the database and removes the dir. */
  close(): Promise<void>;
}

/** Files and SQLite in a fresh temp dir named from `prefix`, blobs kept for 30 days. */
export async function embeddedStores(prefix: string): Promise<EmbeddedStores> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const blobs = new FsBlobStore({
    dir: join(dir, 'blobs'),
    publicBaseUrl: 'http://127.0.0.1:1',
    secret: randomBytes(32),
    retentionDays: 30,
  });
  const lineage = new SqliteLineageStore({ path: join(dir, 'lineage.sqlite') });
  return {
    dir,
    blobs,
    lineage,
    async close() {
      lineage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
