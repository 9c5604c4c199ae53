/**
 * Disk full, for real: the embedded backend's data dir is a small tmpfs that the test fills
 * with a filler file, then empties. Every write that needs space must answer 507
 * STORAGE.FULL, publish no blob whose bytes don't hash to its address, leave no half-written
 * record, and succeed once the space is back.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLineageStore } from '../../functions/adapters/local/sqlite-lineage-store.js';
import { StorageFullError } from '../../functions/core/errors.js';
import { audit, dataset, freezeEvent, manifest, minute, move } from '../conformance/records.js';
import { blobFiles } from './support/blob-files.js';
import { call } from './support/call.js';
import { createHarness, type Harness } from './support/harness.js';
import { checkInvariants } from './support/invariants.js';
import { csv, freezeAnswer, setAlias, upload } from './support/seed.js';
import { mountTmpfs, type Tmpfs } from './support/tmpfs.js';

const run = promisify(execFile);

describe('the embedded server on a full disk', () => {
  let fs: Tmpfs;
  let h: Harness;
  beforeAll(async () => {
    fs = await mountTmpfs(48 * 1024 * 1024);
    h = await createHarness('embedded', { dataDir: fs.dir });
  });
  afterAll(async () => {
    await h?.close();
    await fs?.unmount();
  });

  /** Every published blob hashes to its address and no temp file is left behind. */
  async function expectOnlyIntactBlobs(): Promise<number> {
    const files = await blobFiles(h.location);
    expect(files.temps).toEqual([]);
    expect(files.published.filter((file) => !file.intact)).toEqual([]);
    return files.published.length;
  }

  async function auditFor(target: string): Promise<unknown[]> {
    const answer = await call(h, 'GET', `/v1/audit?target=${encodeURIComponent(target)}`);
    return answer.json.items;
  }

  it('answers 507 STORAGE.FULL to an upload, publishes nothing, and takes the same upload once space returns', async () => {
    const data = csv(30_000, 1);
    const registered = await call(h, 'POST', '/v1/datasets', {
      body: { sha256: data.sha256, bytes: data.bytes.byteLength, name: 'full.csv' },
    });
    expect(registered.status).toBe(201);
    const { url, method, headers } = registered.json.upload;
    await fs.fill(64 * 1024);
    const refused = await h.fetchPresigned(url, { method, headers, body: data.bytes });
    expect({ status: refused.status, code: ((await refused.json()) as { code: string }).code }).toEqual({
      status: 507,
      code: 'STORAGE.FULL',
    });
    expect(await h.raw.blobs.head('dataset', data.sha256)).toBeUndefined();
    expect((await call(h, 'GET', `/v1/datasets/${data.sha256}`)).json.status).toBe('pending');
    await expectOnlyIntactBlobs();

    await fs.release();
    const accepted = await h.fetchPresigned(url, { method, headers, body: data.bytes });
    expect(accepted.status).toBe(201);
    expect((await call(h, 'GET', `/v1/datasets/${data.sha256}`)).json.status).toBe('available');
    await expectOnlyIntactBlobs();
  });

  it('answers 507 STORAGE.FULL to a registration and records neither the dataset nor its audit entry', async () => {
    const data = csv(10, 2);
    const body = { sha256: data.sha256, bytes: data.bytes.byteLength, name: 'later.csv' };
    await fs.fill(0);
    const refused = await call(h, 'POST', '/v1/datasets', { body });
    await fs.release();
    expect({ status: refused.status, code: refused.json.code }).toEqual({
      status: 507,
      code: 'STORAGE.FULL',
    });
    expect((await call(h, 'GET', `/v1/datasets/${data.sha256}`)).status).toBe(404);
    expect(await auditFor(`dataset:${data.sha256}`)).toEqual([]);

    expect((await call(h, 'POST', '/v1/datasets', { body })).status).toBe(201);
    expect(await auditFor(`dataset:${data.sha256}`)).toHaveLength(1);
  });

  it('fails a freeze with 507 STORAGE.FULL, records no manifest, and publishes only artifacts that hash to their address', async () => {
    const data = csv(100_000, 3);
    await upload(h, data);
    // Room for the job's own rows, not for its split files.
    await fs.fill(256 * 1024);
    const refused = await freezeAnswer(h, data.sha256);
    expect({ status: refused.status, code: refused.json.code }).toEqual({
      status: 507,
      code: 'STORAGE.FULL',
    });
    expect((await h.raw.lineage.listManifestsByDataset(data.sha256, { limit: 10 })).items).toEqual([]);
    expect((await call(h, 'GET', '/v1/audit?action=split.freeze')).json.items).toEqual([]);
    await expectOnlyIntactBlobs();

    await fs.release();
    const frozen = await freezeAnswer(h, data.sha256);
    expect(frozen.status).toBe(201);
    expect(await expectOnlyIntactBlobs()).toBeGreaterThanOrEqual(4);
    expect(await checkInvariants(h.raw, [data.sha256])).toEqual([]);
  });

  it('answers 507 STORAGE.FULL to a freeze when there is no room even to record its job', async () => {
    const data = csv(300, 5);
    await upload(h, data);
    await fs.fill(0);
    const refused = await freezeAnswer(h, data.sha256);
    await fs.release();
    expect({ status: refused.status, code: refused.json.code }).toEqual({
      status: 507,
      code: 'STORAGE.FULL',
    });
    expect((await h.raw.lineage.listManifestsByDataset(data.sha256, { limit: 10 })).items).toEqual([]);

    expect((await freezeAnswer(h, data.sha256)).status).toBe(201);
  });

  it('answers 507 STORAGE.FULL to an alias move and leaves the alias, its history and the audit log as they were', async () => {
    const data = csv(200, 4);
    await upload(h, data);
    const first = (await freezeAnswer(h, data.sha256)).json.manifest.id as string;
    const second = (
      await freezeAnswer(h, data.sha256, {
        strategy: 'random',
        seed: 8,
        ratios: { train: 0.8, validation: 0.1, test: 0.1 },
      })
    ).json.manifest.id as string;
    expect((await setAlias(h, 'full-disk', first, 0)).status).toBe(201);
    const auditBefore = await auditFor('alias:full-disk');

    await fs.fill(0);
    const refused = await setAlias(h, 'full-disk', second, 1);
    await fs.release();
    expect({ status: refused.status, code: refused.json.code }).toEqual({
      status: 507,
      code: 'STORAGE.FULL',
    });
    const alias = (await call(h, 'GET', '/v1/aliases/full-disk')).json;
    expect({ revision: alias.revision, manifestId: alias.manifestId }).toEqual({
      revision: 1,
      manifestId: first,
    });
    expect((await call(h, 'GET', '/v1/aliases/full-disk/history')).json.items).toHaveLength(1);
    expect(await auditFor('alias:full-disk')).toEqual(auditBefore);

    expect((await setAlias(h, 'full-disk', second, 1)).status).toBe(200);
    expect(await checkInvariants(h.raw, [data.sha256])).toEqual([]);
  });
});

describe('the lineage database when SQLite reports SQLITE_FULL', () => {
  let dir: string;
  let store: SqliteLineageStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-sqlite-full-'));
    const path = join(dir, 'lineage.sqlite');
    // Fill the database up to a page cap: a real SQLITE_FULL from SQLite's own pager.
    new SqliteLineageStore({ path }).close();
    store = new SqliteLineageStore({ path, maxPageCount: 40 });
    const padding = 'x'.repeat(3000);
    for (let i = 0; ; i += 1) {
      const record = { ...dataset(`filler-${i}`), name: `${padding}-${i}` };
      const failed = await store.registerDataset(record, audit({ target: `dataset:${record.sha256}` })).then(
        () => false,
        (error: unknown) => error instanceof StorageFullError,
      );
      if (failed) break;
    }
  });
  afterAll(async () => {
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a dataset with STORAGE.FULL and keeps neither the row nor its audit entry', async () => {
    const record = { ...dataset('refused'), name: 'y'.repeat(3000) };
    const target = `dataset:${record.sha256}`;
    await expect(store.registerDataset(record, audit({ target }))).rejects.toMatchObject({
      code: 'STORAGE.FULL',
    });
    expect(await store.getDataset(record.sha256)).toBeUndefined();
    expect((await store.listAudit({ target }, { limit: 10 })).items).toEqual([]);
  });

  it('refuses a manifest with STORAGE.FULL and keeps no manifest, event, edge or audit entry', async () => {
    const stored = { ...manifest('refused'), spec: { ...manifest('refused').spec, seed: 9 } };
    const parent = manifest('parent').id;
    const target = `split:${stored.id}`;
    await expect(
      store.putManifest(
        stored,
        { ...freezeEvent(stored.id, minute(5), 'r'), environment: { padding: 'w'.repeat(8000) } },
        [parent],
        audit({ target }),
      ),
    ).rejects.toMatchObject({ code: 'STORAGE.FULL' });
    expect(await store.getManifest(stored.id)).toBeUndefined();
    expect(await store.listFreezeEvents(stored.id)).toEqual([]);
    expect(await store.listParents(stored.id)).toEqual([]);
    expect((await store.listAudit({ target }, { limit: 10 })).items).toEqual([]);
  });

  it('refuses an alias move with STORAGE.FULL and keeps no pointer, history or audit entry', async () => {
    const request = move('full', manifest('refused').id, 0, minute(6), {
      audit: audit({ target: 'alias:full', action: 'alias.set' }),
      reason: 'z'.repeat(6000),
    });
    await expect(store.moveAlias(request)).rejects.toMatchObject({ code: 'STORAGE.FULL' });
    expect(await store.getAlias('full')).toBeUndefined();
    expect((await store.aliasHistory('full', { limit: 10 })).items).toEqual([]);
    expect((await store.listAudit({ target: 'alias:full' }, { limit: 10 })).items).toEqual([]);
  });
});

describe('the blob store under a file-size limit (ulimit -f)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-efbig-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  /** Runs one put in a child whose files may not grow past `limitKiB` (SIGXFSZ ignored: EFBIG). */
  async function putInChild(limitKiB: number | 'unlimited', seed: string) {
    const script = join(import.meta.dirname, 'support', 'put-one-blob.ts');
    const { stdout } = await run('bash', [
      '-c',
      `trap '' XFSZ; ulimit -f ${limitKiB}; exec "$0" --import tsx "$@"`,
      process.execPath,
      script,
      dir,
      String(1024 * 1024),
      seed,
    ]);
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  }

  it('answers STORAGE.FULL when a write hits the limit, publishes nothing, and stores the blob once the limit is lifted', async () => {
    const seed = randomBytes(8).toString('hex');
    const refused = await putInChild(64, seed);
    expect(refused).toMatchObject({ error: 'StorageFullError', code: 'STORAGE.FULL' });
    expect(await blobFiles(dir)).toEqual({ published: [], temps: [] });

    const stored = await putInChild('unlimited', seed);
    expect(stored).toMatchObject({ result: { created: true }, sha256: refused.sha256 });
    expect(await blobFiles(dir)).toEqual({ published: [{ name: refused.sha256, intact: true }], temps: [] });
  });
});
