import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StoredLeakage } from '../adapters/common/stored-leakage.js';
import { FsBlobStore } from '../adapters/local/fs-blob-store.js';
import { FsMultipartStore } from '../adapters/local/fs-multipart-store.js';
import { sweepScratch } from '../adapters/local/fs-scratch.js';
import { HmacUrlSigner } from '../adapters/local/signed-urls.js';
import { SqliteLineageStore } from '../adapters/local/sqlite-lineage-store.js';
import type { EmbeddedUploads, SignedUrls } from '../api/deps.js';
import { blobRoutes } from '../api/routes/blobs.js';
import { uploadPartRoutes } from '../api/routes/upload-parts.js';
import { uploadRoutes } from '../api/routes/uploads.js';

export interface EmbeddedBackendOptions {
  readonly dataDir: string;
  /** Where clients reach this server; presigned URLs are built on it. */
  readonly publicBaseUrl: string;
  /** @default 3650 (the embedded store never deletes; this is what head() reports) */
  readonly retentionDays?: number;
  /**
   * Sweep orphaned temp files left by a crash. Only the server does; its job threads open the
   * same stores for each job and must not walk every blob directory again each time.
   * @default true
   */
  readonly sweepTempFiles?: boolean;
  /** Where the background sweep of orphaned temp files reports. @default JSON line on stderr */
  readonly log?: (line: Readonly<Record<string, unknown>>) => void;
}

/** Where the embedded blob store keeps its files under a data dir (shard workers read them there). */
export function embeddedBlobDir(dataDir: string): string {
  return join(resolve(dataDir), 'blobs');
}

/** The file-system blob store, the SQLite lineage store, and the verifier and routes of their URLs. */
export async function createEmbeddedBackend(options: EmbeddedBackendOptions) {
  const dir = resolve(options.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = await loadOrCreateSecret(join(dir, 'url-signing.key'));
  const blobs = new FsBlobStore({
    dir: embeddedBlobDir(dir),
    publicBaseUrl: options.publicBaseUrl,
    secret,
    retentionDays: options.retentionDays ?? 3650,
  });
  const log = options.log ?? ((line) => console.error(JSON.stringify(line)));
  // In the background: the server needn't wait for a walk of every blob directory.
  const sweep =
    (options.sweepTempFiles ?? true)
      ? Promise.all([blobs.sweepTempFiles(), sweepScratch(join(dir, 'scratch'))]).then(([a, b]) => a + b)
      : Promise.resolve(0);
  const swept = sweep.then(
    (removed) => {
      if (removed > 0) log({ level: 'info', msg: 'removed orphaned temp files', removed });
    },
    (error: unknown) => log({ level: 'error', msg: 'temp file sweep failed', error: String(error) }),
  );
  const path = join(dir, 'lineage.sqlite');
  await createPrivate(path);
  const lineage = new SqliteLineageStore({ path });
  const multipart = new FsMultipartStore({
    dir: join(dir, 'uploads'),
    blobs,
    publicBaseUrl: options.publicBaseUrl,
    secret,
  });
  // Abandoned uploads go at start too (not only when the next upload starts), in the background.
  const expired = (options.sweepTempFiles ?? true) ? multipart.sweepExpired() : Promise.resolve(0);
  const uploadsSwept = expired.then(
    (removed) => {
      if (removed > 0) log({ level: 'info', msg: 'removed expired uploads', removed });
    },
    (error: unknown) => log({ level: 'error', msg: 'expired upload sweep failed', error: String(error) }),
  );
  const uploads: EmbeddedUploads = {
    store: multipart,
    parts: { verifier: multipart.verifier, put: (grant, body) => multipart.putPart(grant, body) },
    routes: { uploads: uploadRoutes, parts: uploadPartRoutes },
  };
  const signedUrls: SignedUrls = {
    verifier: new HmacUrlSigner({ publicBaseUrl: options.publicBaseUrl, secret }),
    routes: blobRoutes,
  };
  return {
    blobs,
    lineage,
    catalog: lineage,
    leakage: new StoredLeakage(blobs, lineage),
    signedUrls,
    uploads,
    damage: blobs,
    swept: Promise.all([swept, uploadsSwept]).then(() => undefined),
    close: () => lineage.close(),
  };
}

/**
 * Creates the database file 0600 before SQLite opens it: SQLite gives its -wal and -shm files
 * the database file's mode, so all three stay private. Tightens files made by older versions.
 */
async function createPrivate(path: string): Promise<void> {
  const file = await open(path, 'a', 0o600);
  await file.close();
  for (const suffix of ['', '-wal', '-shm']) {
    await chmod(`${path}${suffix}`, 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/**
 * The HMAC key for local presigned URLs: made once, kept in the data dir (0600) so URLs stay
 * valid across restarts. 'wx' makes two servers starting at once agree on one key.
 */
async function loadOrCreateSecret(path: string): Promise<Uint8Array> {
  try {
    await writeFile(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = await readFile(path);
  if (secret.byteLength < 32)
    throw new Error(`${path} holds ${secret.byteLength} bytes; delete it to make a new key`);
  return secret;
}
