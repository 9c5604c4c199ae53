/**
 * What the embedded backend does to its data dir when it starts: the lineage database and its
 * WAL and shared-memory files are private (0600, like the URL-signing key), and temp files
 * orphaned by a crash are swept in the background.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEmbeddedBackend } from '../../functions/handlers/embedded-backend.js';
import { audit, dataset } from '../conformance/records.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'splitvault-data-dir-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function modeOf(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

async function openAndWrite() {
  const backend = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:1' });
  await backend.lineage.registerDataset(dataset(randomUUID()), audit());
  return backend;
}

it('creates lineage.sqlite and its -wal and -shm files 0600, like the URL-signing key', async () => {
  const backend = await openAndWrite();
  try {
    for (const name of ['lineage.sqlite', 'lineage.sqlite-wal', 'lineage.sqlite-shm', 'url-signing.key']) {
      expect([name, await modeOf(join(dir, name))]).toEqual([name, '600']);
    }
  } finally {
    backend.close();
  }
});

it('makes a lineage.sqlite left 0644 by an older version private when it starts', async () => {
  await writeFile(join(dir, 'lineage.sqlite'), '', { mode: 0o644 });
  const backend = await openAndWrite();
  backend.close();
  expect(await modeOf(join(dir, 'lineage.sqlite'))).toBe('600');
});

it('sweeps temp files orphaned by a crash when it starts, and leaves published blobs alone', async () => {
  const folder = join(dir, 'blobs', 'datasets', 'sha256');
  await mkdir(folder, { recursive: true });
  const published = 'a'.repeat(64);
  const orphan = `${published}.${randomUUID()}.tmp`;
  await writeFile(join(folder, published), 'bytes');
  await writeFile(join(folder, orphan), 'half a write');

  const backend = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:1' });
  await backend.swept;
  backend.close();

  expect(await readdir(folder)).toEqual([published]);
});

it('leaves the sweep to the server when a job thread opens the same stores', async () => {
  const folder = join(dir, 'blobs', 'datasets', 'sha256');
  await mkdir(folder, { recursive: true });
  const orphan = `${'b'.repeat(64)}.${randomUUID()}.tmp`;
  await writeFile(join(folder, orphan), 'half a write');

  const backend = await createEmbeddedBackend({
    dataDir: dir,
    publicBaseUrl: 'http://127.0.0.1:1',
    sweepTempFiles: false,
  });
  await backend.swept;
  backend.close();

  expect(await readdir(folder)).toEqual([orphan]);
});
