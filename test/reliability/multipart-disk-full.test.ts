/**
 * Multipart uploads on a full disk, for real: the embedded stores live on a small tmpfs that
 * the test fills and empties. A part or an assembly that finds no room is STORAGE.FULL, leaves
 * no temp file and publishes nothing, keeps what was already staged, and succeeds once the
 * space is back.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';
import { FsMultipartStore } from '../../functions/adapters/local/fs-multipart-store.js';
import { StorageFullError } from '../../functions/core/errors.js';
import { MIN_PART_BYTES } from '../../schemas/uploads.js';
import { mountTmpfs, type Tmpfs } from './support/tmpfs.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const FILE = randomBytes(2 * MIN_PART_BYTES);
const PARTS = [FILE.subarray(0, MIN_PART_BYTES), FILE.subarray(MIN_PART_BYTES)];

describe('multipart uploads on a full disk (embedded)', () => {
  let fs: Tmpfs;
  let blobs: FsBlobStore;
  let store: FsMultipartStore;
  beforeAll(async () => {
    fs = await mountTmpfs(48 * 1024 * 1024);
    const base = { publicBaseUrl: 'http://splitvault.test', secret: randomBytes(32) };
    blobs = new FsBlobStore({ ...base, dir: join(fs.dir, 'blobs'), retentionDays: 1 });
    store = new FsMultipartStore({ ...base, dir: join(fs.dir, 'uploads'), blobs });
  });
  afterAll(async () => {
    await fs?.unmount();
  });

  const grant = (id: string, number: number) => ({
    uploadId: id,
    number,
    sha256: sha(PARTS[number - 1]!),
    bytes: PARTS[number - 1]!.byteLength,
  });

  it('refuses a part with STORAGE.FULL, staging nothing, and takes it once space returns', async () => {
    const plan = await store.start(sha(FILE), FILE.byteLength, MIN_PART_BYTES);
    await fs.fill(64 * 1024);
    await expect(store.putPart(grant(plan.id, 1), PARTS[0]!)).rejects.toBeInstanceOf(StorageFullError);
    expect(await readdir(join(fs.dir, 'uploads', plan.id))).toEqual(['plan.json']);
    await fs.release();
    await store.putPart(grant(plan.id, 1), PARTS[0]!);
    expect((await store.listParts(plan)).map((p) => p.number)).toEqual([1]);
  });

  it('refuses to assemble with STORAGE.FULL, publishing nothing and keeping the parts, and completes once space returns', async () => {
    const plan = await store.start(sha(FILE), FILE.byteLength, MIN_PART_BYTES);
    await store.putPart(grant(plan.id, 2), PARTS[1]!);
    await fs.fill(1024 * 1024);
    await expect(store.complete(plan)).rejects.toBeInstanceOf(StorageFullError);
    expect(await blobs.head('dataset', sha(FILE))).toBeUndefined();
    expect(await readdir(join(fs.dir, 'blobs', 'datasets', 'sha256'))).toEqual([]);
    expect((await store.listParts(plan)).map((p) => p.number)).toEqual([1, 2]);
    await fs.release();
    expect(await store.complete(plan)).toEqual({ created: true });
    expect(await blobs.head('dataset', sha(FILE))).toMatchObject({ bytes: FILE.byteLength });
  });
});
