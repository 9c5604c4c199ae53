/**
 * Blobs damaged in storage (before the verified write existed, or by bit rot) on the embedded
 * backend: verify and health report them, registration hands out an upload again, and the
 * right bytes replace them, audited as `blob.repair`.
 */
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { SIGNED_URL_ACTOR } from '../../functions/api/routes/blobs.js';
import { hashOfFile } from './support/blob-files.js';
import { call } from './support/call.js';
import { createHarness, type Harness } from './support/harness.js';
import { csv, type Dataset, freeze, freezeAnswer, upload } from './support/seed.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness('embedded');
});
afterEach(async () => h?.close());

/** Rewrites a stored file behind the service, as an old truncating write or bit rot would. */
async function damage(kind: 'dataset' | 'artifact', sha256: string, change: (bytes: Buffer) => Buffer) {
  const path = join(h.location, blobKey(kind, sha256));
  const changed = change(await readFile(path));
  await chmod(path, 0o644);
  await writeFile(path, changed);
  await chmod(path, 0o444);
}

const truncate = (bytes: Buffer) => bytes.subarray(0, bytes.byteLength - 100);
const flipOneByte = (bytes: Buffer) => {
  const copy = Buffer.from(bytes);
  copy[10] = (copy[10] ?? 0) ^ 0xff;
  return copy;
};

async function verify(manifestId: string) {
  const answer = await call(h, 'POST', `/v1/splits/${manifestId}/verify?wait=30`);
  expect(answer.json.job.state).toBe('succeeded');
  return answer.json.job.result;
}

async function repairs(target: string): Promise<{ actor: string }[]> {
  return (await call(h, 'GET', `/v1/audit?action=blob.repair&target=${target}`)).json.items;
}

async function reupload(data: Dataset) {
  const registered = await call(h, 'POST', '/v1/datasets', {
    body: { sha256: data.sha256, bytes: data.bytes.byteLength, name: 'data.csv' },
  });
  expect(registered.status).toBe(201);
  const { url, method, headers } = registered.json.upload;
  return h.fetchPresigned(url, { method, headers, body: data.bytes });
}

describe('a dataset stored with the wrong size', () => {
  it('gets an upload again at registration, and the upload repairs it with a blob.repair audit entry', async () => {
    const data = csv(500, 1);
    await upload(h, data);
    await damage('dataset', data.sha256, truncate);

    const put = await reupload(data);

    expect(put.status).toBe(201);
    expect(await hashOfFile(join(h.location, blobKey('dataset', data.sha256)))).toBe(data.sha256);
    expect(await repairs(`dataset:${data.sha256}`)).toEqual([
      expect.objectContaining({ actor: SIGNED_URL_ACTOR, action: 'blob.repair' }),
    ]);
    // Repaired: the next registration is "already stored" again, with nothing more to audit.
    const again = await call(h, 'POST', '/v1/datasets', {
      body: { sha256: data.sha256, bytes: data.bytes.byteLength },
    });
    expect({ status: again.status, upload: again.json.upload }).toEqual({ status: 200, upload: undefined });
  });
});

describe('blobs damaged in place', () => {
  it('are reported by verify and by health until a freeze writes the right artifact back, audited', async () => {
    const data = csv(500, 2);
    await upload(h, data);
    const manifestId = await freeze(h, data.sha256);
    const train = (await call(h, 'GET', `/v1/splits/${manifestId}`)).json.manifest.splits.train.sha256;
    expect((await call(h, 'GET', '/v1/health', { token: null })).json.status).toBe('ok');
    await damage('artifact', train, flipOneByte);

    const result = await verify(manifestId);

    expect(result).toMatchObject({ ok: false, reproducible: true });
    expect(result.failures).toEqual([{ reason: 'artifact-damaged', sha256: train, split: 'train' }]);
    expect(result.storage.intact).toBe(false);
    expect(result.storage.damaged).toEqual([
      { kind: 'artifact', sha256: train, actual: expect.not.stringMatching(train) },
    ]);
    const health = (await call(h, 'GET', '/v1/health', { token: null })).json;
    expect(health).toMatchObject({
      status: 'degraded',
      damagedBlobs: { count: 1, items: [{ kind: 'artifact', sha256: train, foundAt: expect.any(String) }] },
    });

    expect((await freezeAnswer(h, data.sha256)).status).toBe(200);

    expect(await repairs(`artifact:${train}`)).toHaveLength(1);
    expect((await call(h, 'GET', '/v1/health', { token: null })).json.status).toBe('ok');
    expect((await verify(manifestId)).storage).toMatchObject({ intact: true, damaged: [] });
  });

  it('report a dataset whose bytes rotted, and a fresh upload of it repairs it', async () => {
    const data = csv(500, 3);
    await upload(h, data);
    const manifestId = await freeze(h, data.sha256);
    await damage('dataset', data.sha256, flipOneByte);

    const result = await verify(manifestId);

    expect(result.reproducible).toBe(false);
    // The rebuild could not run, so the rotted dataset is the failure named, not the split.
    expect(result).toMatchObject({
      ok: false,
      failures: [{ reason: 'dataset-damaged', sha256: data.sha256 }],
    });
    expect(result.failures).toHaveLength(1);
    expect(result.storage).toMatchObject({
      intact: false,
      dataset: { expected: data.sha256, actual: expect.not.stringMatching(data.sha256) },
      damaged: [{ kind: 'dataset', sha256: data.sha256 }],
    });
    expect((await call(h, 'GET', '/v1/health', { token: null })).json.damagedBlobs.items).toEqual([
      expect.objectContaining({ kind: 'dataset', sha256: data.sha256 }),
    ]);
    // The same size as registered, but known damaged: registration hands out an upload.
    expect((await reupload(data)).status).toBe(201);
    expect(await repairs(`dataset:${data.sha256}`)).toHaveLength(1);
    expect((await call(h, 'GET', '/v1/health', { token: null })).json.status).toBe('ok');
    expect((await verify(manifestId)).reproducible).toBe(true);
  });

  it('fail verify as a missing artifact when a stored split file is gone', async () => {
    const data = csv(500, 4);
    await upload(h, data);
    const manifestId = await freeze(h, data.sha256);
    const test = (await call(h, 'GET', `/v1/splits/${manifestId}`)).json.manifest.splits.test.sha256;
    await rm(join(h.location, blobKey('artifact', test)));

    const result = await verify(manifestId);

    expect(result).toMatchObject({ ok: false, reproducible: true });
    expect(result.failures).toEqual([{ reason: 'artifact-missing', sha256: test, split: 'test' }]);
  });
});
