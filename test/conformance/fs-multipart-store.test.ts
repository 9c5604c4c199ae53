import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';
import { FsMultipartStore } from '../../functions/adapters/local/fs-multipart-store.js';
import { planPartBytes } from '../../functions/core/upload/part-plan.js';
import { createEmbeddedBackend } from '../../functions/handlers/embedded-backend.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const secret = randomBytes(32);

let dir: string;
let now: Date;
let store: FsMultipartStore;
let blobs: FsBlobStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'splitvault-multipart-'));
  now = new Date('2026-01-01T00:00:00Z');
  const clock = () => now;
  const base = { publicBaseUrl: 'http://splitvault.test', secret, clock };
  blobs = new FsBlobStore({ ...base, dir: join(dir, 'blobs'), retentionDays: 1 });
  store = new FsMultipartStore({ ...base, dir: join(dir, 'uploads'), blobs, ttlSeconds: 3600 });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FsMultipartStore', () => {
  it('forgets an abandoned upload once it expires, removing its staged parts and publishing nothing', async () => {
    const part = randomBytes(1000);
    const plan = await store.start(sha(part), part.byteLength, planPartBytes(part.byteLength));
    await store.putPart({ uploadId: plan.id, number: 1, sha256: sha(part), bytes: part.byteLength }, part);
    expect(await store.listParts(plan)).toHaveLength(1);
    now = new Date(now.getTime() + 3601_000);
    expect(await store.sweepExpired()).toBe(1);
    expect(await readdir(join(dir, 'uploads'))).toEqual([]);
    expect(await store.get(plan.id)).toBeUndefined();
    expect(await blobs.head('dataset', sha(part))).toBeUndefined();
  });

  it('keeps only the newest verified copy of a part sent twice', async () => {
    const file = randomBytes(2000);
    const plan = await store.start(sha(file), file.byteLength, planPartBytes(file.byteLength));
    const grant = { uploadId: plan.id, number: 1, sha256: sha(file), bytes: file.byteLength };
    await store.putPart(grant, file);
    await store.putPart(grant, file);
    expect(await store.listParts(plan)).toEqual([{ number: 1, sha256: sha(file), bytes: file.byteLength }]);
    expect(await store.complete(plan)).toEqual({ created: true });
  });
});

describe('the embedded backend at start', () => {
  it('removes uploads abandoned past their expiry without waiting for the next upload', async () => {
    const data = join(dir, 'data');
    const id = 'abandoned-upload-0123456789';
    const plan = { id, sha256: sha(Buffer.from('x')), bytes: 1, partBytes: 5 * 1024 ** 2, partCount: 1 };
    await mkdir(join(data, 'uploads', id), { recursive: true });
    await writeFile(
      join(data, 'uploads', id, 'plan.json'),
      JSON.stringify({ ...plan, createdAt: '2020-01-01T00:00:00Z', expiresAt: '2020-01-08T00:00:00Z' }),
    );
    const backend = await createEmbeddedBackend({
      dataDir: data,
      publicBaseUrl: 'http://splitvault.test',
      log: () => {},
    });
    await backend.swept;
    backend.close();
    expect(await readdir(join(data, 'uploads'))).toEqual([]);
  });
});
