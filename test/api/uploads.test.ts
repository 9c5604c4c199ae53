import { createHash, randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/api/openapi.js';
import { MAX_DATASET_BYTES } from '../../schemas/api.js';
import { MIN_PART_BYTES } from '../../schemas/uploads.js';
import { call } from './support/client.js';
import { type ApiHarness, embeddedHarness, TOKENS } from './support/harness.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const PART = MIN_PART_BYTES;
// Three parts: two full ones and a short last one.
const FILE = randomBytes(2 * PART + 1234);
const partOf = (file: Uint8Array, n: number) =>
  file.subarray((n - 1) * PART, Math.min(n * PART, file.byteLength));

let h: ApiHarness;
beforeEach(async () => {
  h = await embeddedHarness();
});
afterEach(async () => {
  await h.close();
});

async function start(file: Uint8Array, sha256 = sha(file)) {
  const created = await call(h, 'POST', '/v1/uploads', {
    body: { sha256, bytes: file.byteLength, name: 'big.csv', partBytes: PART },
  });
  expect(created.status).toBe(201);
  return created.json.upload as { id: string; partCount: number; partBytes: number };
}

async function sendPart(id: string, number: number, body: Uint8Array, signedSha = sha(body)) {
  const urls = await call(h, 'POST', `/v1/uploads/${id}/parts`, {
    body: { parts: [{ number, sha256: signedSha }] },
  });
  expect(urls.status).toBe(200);
  const { url, method, headers } = urls.json.parts[0];
  return h.fetchPresigned(url, { method, headers, body });
}

async function stored(sha256: string) {
  return h.blobs.head('dataset', sha256);
}

describe('multipart uploads (embedded)', () => {
  it('plans three parts, stores each, and publishes the assembled file at its address', async () => {
    const upload = await start(FILE);
    expect(upload).toMatchObject({ partCount: 3, partBytes: PART });
    for (const n of [1, 2, 3]) expect((await sendPart(upload.id, n, partOf(FILE, n))).status).toBe(200);
    const done = await call(h, 'POST', `/v1/uploads/${upload.id}/complete`);
    expect(done.status).toBe(201);
    expect(done.json.dataset).toMatchObject({
      sha256: sha(FILE),
      bytes: FILE.byteLength,
      status: 'available',
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of await h.blobs.open('dataset', sha(FILE))) chunks.push(chunk);
    expect(Buffer.compare(Buffer.concat(chunks), FILE)).toBe(0);
    expect((await call(h, 'GET', `/v1/uploads/${upload.id}`)).status).toBe(404);
  });

  it('refuses a part whose bytes do not hash to the SHA-256 its URL signs, and stages nothing for it', async () => {
    const upload = await start(FILE);
    const wrong = Buffer.from(partOf(FILE, 1));
    wrong[0] = wrong[0]! ^ 0xff;
    const put = await sendPart(upload.id, 1, wrong, sha(partOf(FILE, 1)));
    expect(put.status).toBe(400);
    expect(((await put.json()) as { code: string }).code).toBe('UPLOAD.HASH_MISMATCH');
    expect((await call(h, 'GET', `/v1/uploads/${upload.id}`)).json.parts).toEqual([]);
  });

  it('refuses a part URL whose signed SHA-256 was changed', async () => {
    const upload = await start(FILE);
    const urls = await call(h, 'POST', `/v1/uploads/${upload.id}/parts`, {
      body: { parts: [{ number: 1, sha256: sha(partOf(FILE, 1)) }] },
    });
    const url = new URL(urls.json.parts[0].url);
    url.searchParams.set('sha256', sha(FILE));
    const put = await h.fetchPresigned(url.toString(), { method: 'PUT', body: partOf(FILE, 1) });
    expect(put.status).toBe(403);
  });

  it('refuses to complete with a part missing, keeps the upload, and completes once the part arrives', async () => {
    const upload = await start(FILE);
    await sendPart(upload.id, 1, partOf(FILE, 1));
    await sendPart(upload.id, 3, partOf(FILE, 3));
    const early = await call(h, 'POST', `/v1/uploads/${upload.id}/complete`);
    expect(early.status).toBe(409);
    expect(early.json.code).toBe('UPLOAD.PART_MISSING');
    expect(await stored(sha(FILE))).toBeUndefined();
    const status = await call(h, 'GET', `/v1/uploads/${upload.id}`);
    expect(status.json.parts.map((p: { number: number }) => p.number)).toEqual([1, 3]);
    await sendPart(upload.id, 2, partOf(FILE, 2));
    expect((await call(h, 'POST', `/v1/uploads/${upload.id}/complete`)).status).toBe(201);
  });

  it('refuses a complete whose assembled file does not hash to the dataset, leaving nothing at the address', async () => {
    const claimed = sha(Buffer.from('some other file'));
    const upload = await start(FILE, claimed);
    for (const n of [1, 2, 3]) await sendPart(upload.id, n, partOf(FILE, n));
    const done = await call(h, 'POST', `/v1/uploads/${upload.id}/complete`);
    expect(done.status).toBe(400);
    expect(done.json.code).toBe('UPLOAD.HASH_MISMATCH');
    expect(await stored(claimed)).toBeUndefined();
    expect(await stored(sha(FILE))).toBeUndefined();
    expect((await call(h, 'GET', `/v1/uploads/${upload.id}`)).status).toBe(404);
    expect((await call(h, 'GET', `/v1/datasets/${claimed}`)).json.status).toBe('pending');
  });

  it('removes an abandoned upload and its staged parts when it is aborted', async () => {
    const upload = await start(FILE);
    await sendPart(upload.id, 1, partOf(FILE, 1));
    expect((await call(h, 'DELETE', `/v1/uploads/${upload.id}`)).status).toBe(204);
    expect((await call(h, 'GET', `/v1/uploads/${upload.id}`)).status).toBe(404);
    expect(await readdir(join(h.dataDir!, 'uploads'))).toEqual([]);
    expect(await stored(sha(FILE))).toBeUndefined();
  });

  it("accepts a dataset beyond one PUT's 5 GiB and plans it in at most 1,000 parts", async () => {
    const bytes = 6 * 1024 ** 3;
    const sha256 = sha(Buffer.from('six gibibytes'));
    expect((await call(h, 'POST', '/v1/datasets', { body: { sha256, bytes } })).status).toBe(400);
    const created = await call(h, 'POST', '/v1/uploads', { body: { sha256, bytes } });
    expect(created.status).toBe(201);
    expect(bytes).toBeGreaterThan(MAX_DATASET_BYTES);
    expect(created.json.upload).toMatchObject({ partBytes: 64 * 1024 ** 2, partCount: 96 });
  });

  it('answers an upload of a dataset already stored with the dataset and no upload', async () => {
    const upload = await start(FILE);
    for (const n of [1, 2, 3]) await sendPart(upload.id, n, partOf(FILE, n));
    await call(h, 'POST', `/v1/uploads/${upload.id}/complete`);
    const again = await call(h, 'POST', '/v1/uploads', {
      body: { sha256: sha(FILE), bytes: FILE.byteLength },
    });
    expect(again.status).toBe(200);
    expect(again.json.upload).toBeUndefined();
    expect(again.json.dataset.status).toBe('available');
  });

  it('lets only writers start an upload', async () => {
    const answer = await call(h, 'POST', '/v1/uploads', {
      token: TOKENS.reader,
      body: { sha256: sha(FILE), bytes: FILE.byteLength },
    });
    expect(answer.status).toBe(403);
  });
});

describe('multipart uploads completed twice at once (embedded)', () => {
  it('answers both completes of one upload from a single assembly', async () => {
    const upload = await start(FILE);
    for (const n of [1, 2, 3]) await sendPart(upload.id, n, partOf(FILE, n));
    const [a, b] = await Promise.all([
      call(h, 'POST', `/v1/uploads/${upload.id}/complete`),
      call(h, 'POST', `/v1/uploads/${upload.id}/complete`),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(await stored(sha(FILE))).toMatchObject({ bytes: FILE.byteLength });
  });
});

describe('multipart repair of a damaged dataset (embedded)', () => {
  it('hands out an upload for a stored dataset found damaged, and the upload repairs it', async () => {
    const first = await start(FILE);
    for (const n of [1, 2, 3]) await sendPart(first.id, n, partOf(FILE, n));
    await call(h, 'POST', `/v1/uploads/${first.id}/complete`);
    const path = join(h.dataDir!, 'blobs', 'datasets', 'sha256', sha(FILE));
    await writeFile(path, Buffer.alloc(FILE.byteLength));
    // A full read finds the damage and records it.
    for await (const _ of await h.blobs.open('dataset', sha(FILE))) {
      // read to the end
    }
    const again = await start(FILE);
    for (const n of [1, 2, 3]) await sendPart(again.id, n, partOf(FILE, n));
    expect((await call(h, 'POST', `/v1/uploads/${again.id}/complete`)).status).toBe(201);
    const chunks: Uint8Array[] = [];
    for await (const chunk of await h.blobs.open('dataset', sha(FILE))) chunks.push(chunk);
    expect(sha(Buffer.concat(chunks))).toBe(sha(FILE));
    expect((await call(h, 'GET', '/v1/health')).json.status).toBe('ok');
  });
});

describe('the OpenAPI document and the upload routes', () => {
  it('publishes the upload routes only where they are mounted', async () => {
    const embedded = (await call(h, 'GET', '/v1/openapi.json', { token: null })).json;
    expect(Object.keys(embedded.paths)).toContain('/v1/uploads/{id}/complete');
    const without = openApiDocument('0.0.0-test') as { paths: Record<string, unknown> };
    expect(Object.keys(without.paths).filter((path) => path.startsWith('/v1/uploads'))).toEqual([]);
  });
});
