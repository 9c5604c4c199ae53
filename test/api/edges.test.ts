import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from './support/client.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';
import { type ApiHarness, embeddedHarness, TOKENS } from './support/harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await embeddedHarness();
});
afterAll(async () => h?.close());

describe('public routes', () => {
  it('serves health, the OpenAPI document and the docs page without a token', async () => {
    expect((await call(h, 'GET', '/v1/health', { token: null })).json.status).toBe('ok');
    const doc = await call(h, 'GET', '/v1/openapi.json', { token: null });
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining([
        '/v1/splits',
        '/v1/aliases/{name}/rollback',
        '/v1/audit',
        '/v1/splits/{id}/verify',
      ]),
    );
    expect(doc.json.components.schemas.FreezeRequest.properties.spec.properties.strategy.enum).toContain(
      'stratified',
    );
    const refs = [...JSON.stringify(doc.json).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((name) => !(name! in doc.json.components.schemas))).toEqual([]);
    const docs = await h.app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/docs/init.js');
    expect(await (await h.app.request('/docs/init.js')).text()).toContain('/v1/openapi.json');
  });
});

describe('authentication and roles', () => {
  it.each([
    ['no token', null, 'GET', '/v1/aliases', 401],
    ['an unknown token', 'not-a-real-token-at-all', 'GET', '/v1/aliases', 401],
    ['a reader registering a dataset', TOKENS.reader, 'POST', '/v1/datasets', 403],
    ['a deployer freezing', TOKENS.deployer, 'POST', '/v1/splits', 403],
    ['a writer moving an alias', TOKENS.writer, 'PUT', '/v1/aliases/prod', 403],
  ])('refuses %s', async (_case, token, method, path, status) => {
    const answer = await call(h, method, path, { token, body: method === 'GET' ? undefined : {} });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
  });

  it('lets a reader read', async () => {
    expect((await call(h, 'GET', '/v1/aliases', { token: TOKENS.reader })).status).toBe(200);
  });
});

describe('bad requests', () => {
  it('lists every problem of a bad freeze request at once', async () => {
    const body = {
      dataset: 'nope',
      spec: { strategy: 'random', seed: -1, ratios: { train: 2, validation: 0, test: 0 } },
    };
    const answer = await call(h, 'POST', '/v1/splits', { body });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('REQUEST.INVALID');
    const paths = answer.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['dataset', 'spec.seed', 'spec.ratios.train']));
  });

  it("lists a strategy's missing column and a bad ratio sum beside other field errors", async () => {
    const body = {
      dataset: 'nope',
      spec: { strategy: 'stratified', seed: 1.5, ratios: { train: 0.5, validation: 0.5, test: 0.5 } },
    };
    const answer = await call(h, 'POST', '/v1/splits', { body });
    expect(answer.status).toBe(400);
    const paths = answer.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['dataset', 'spec.seed', 'spec.ratios', 'spec.stratifyBy']));
  });

  it('refuses a field the strategy would ignore with SPEC.IRRELEVANT_FIELD naming it, so it cannot make a second id', async () => {
    const data = csvDataset(60, 9);
    await uploadDataset(h, data);
    const grouped = { strategy: 'group', groupBy: 'value', seed: 3, ratios: RANDOM_SPEC.ratios };
    const plain = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: data.sha256, spec: grouped },
    });
    expect(plain.status).toBe(201);

    const answer = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: data.sha256, spec: { ...grouped, stratifyBy: 'label' } },
    });

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      code: 'SPEC.IRRELEVANT_FIELD',
      errors: [
        {
          path: 'spec.stratifyBy',
          message: 'strategy "group" does not use stratifyBy; leave stratifyBy out',
        },
      ],
    });
  });

  it('freezes a time split asked without a seed as the one asked with seed 0', async () => {
    const data = csvDataset(60, 10);
    await uploadDataset(h, data);
    const time = { strategy: 'time', orderBy: 'value', ratios: RANDOM_SPEC.ratios };
    const seedless = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: data.sha256, spec: time },
    });
    expect(seedless.status).toBe(201);
    expect(seedless.json.manifest.spec.seed).toBe(0);
    const zero = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: data.sha256, spec: { ...time, seed: 0 } },
    });
    expect({ status: zero.status, id: zero.json.manifest.id }).toEqual({
      status: 200,
      id: seedless.json.manifest.id,
    });
  });

  it.each([
    [
      'a non-JSON content type',
      'POST',
      '/v1/datasets',
      { body: 'x', headers: { 'content-type': 'text/plain' } },
      415,
    ],
    ['malformed JSON', 'POST', '/v1/datasets', { body: '{"sha256":' }, 400],
    [
      'a body over 1 MiB',
      'POST',
      '/v1/datasets',
      { body: JSON.stringify({ name: 'x'.repeat(1_100_000) }) },
      413,
    ],
    ['a page size over 100', 'GET', '/v1/audit?limit=101', {}, 400],
    ['a presign lifetime over 12 hours', 'GET', `/v1/artifacts/${'a'.repeat(64)}?expiresIn=43201`, {}, 400],
    ['a malformed hash in the path', 'GET', '/v1/datasets/xyz', {}, 400],
    ['an unknown route', 'GET', '/v1/nothing-here', {}, 404],
    ['an unknown job', 'GET', '/v1/jobs/no-such-job', {}, 404],
    ['a garbled page cursor', 'GET', '/v1/aliases?cursor=%%%', {}, 400],
  ])('answers %s with a problem document', async (_case, method, path, options, status) => {
    const answer = await call(h, method, path, options);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.json).toMatchObject({ status, code: expect.any(String), title: expect.any(String) });
    expect(JSON.stringify(answer.json)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('keys that look like prototypes', () => {
  it('keeps constructor and prototype keys of environment as ordinary data, which only __proto__ is not', async () => {
    const data = csvDataset(20, 11);
    await uploadDataset(h, data);
    const environment = { constructor: 'c', prototype: { toString: 't' }, hasOwnProperty: 'h' };
    const id = await freezeSplit(h, data.sha256, RANDOM_SPEC, { environment });
    const read = await call(h, 'GET', `/v1/splits/${id}`);
    expect(read.json.freezeEvents.at(-1).environment).toEqual(environment);
    const proto = await call(h, 'POST', '/v1/splits', {
      body: `{"dataset":"${data.sha256}","spec":${JSON.stringify(RANDOM_SPEC)},"environment":{"a":{"__proto__":{}}}}`,
    });
    expect(proto.status).toBe(400);
    expect(proto.json).toMatchObject({
      code: 'REQUEST.FORBIDDEN_KEY',
      errors: [{ path: 'environment.a.__proto__', message: 'key not allowed' }],
    });
  });
});

describe('signed blob URLs and storage tampering', () => {
  it('refuses an altered download URL and reports tampered artifacts on verify', async () => {
    const data = csvDataset(90, 3);
    await uploadDataset(h, data);
    const id = await freezeSplit(h, data.sha256, RANDOM_SPEC);
    const info = await call(h, 'GET', `/v1/splits/${id}/train`, { headers: { accept: 'application/json' } });
    const altered = info.json.url.replace(/expires=\d+/, 'expires=9999999999');
    expect((await h.fetchPresigned(altered)).status).toBe(403);

    const file = await findBlobFile(h.dataDir!, info.json.sha256);
    await chmod(file, 0o644);
    await writeFile(file, 'not arrow any more');
    const verified = await call(h, 'POST', `/v1/splits/${id}/verify?wait=50`);
    expect(verified.json.job.result.reproducible).toBe(true);
    expect(verified.json.job.result.storage.intact).toBe(false);
    expect(verified.json.job.result.storage.splits.train.actual).not.toBe(info.json.sha256);

    const source = await findBlobFile(h.dataDir!, data.sha256);
    await chmod(source, 0o644);
    await writeFile(source, 'id,label,value\n1,a,2\n');
    const rebuilt = await call(h, 'POST', `/v1/splits/${id}/verify?wait=50`);
    expect(rebuilt.json.job.result).toMatchObject({
      reproducible: false,
      detail: expect.stringContaining(data.sha256),
    });
    const refrozen = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: data.sha256, spec: { ...RANDOM_SPEC, seed: 5 } },
    });
    expect(refrozen.status).toBe(500);
    expect(refrozen.json).toMatchObject({
      code: 'BLOB.INTEGRITY',
      detail: 'stored bytes do not match their address',
    });
  });
});

describe('request log', () => {
  it('writes one JSON line per request without tokens or signatures', async () => {
    const before = h.logs.length;
    await call(h, 'GET', '/v1/aliases?limit=5');
    const line = h.logs[before];
    expect(line).toMatchObject({ method: 'GET', route: '/v1/aliases', status: 200, actor: 'root' });
    expect(line?.requestId).toEqual(expect.any(String));
    expect(line?.latencyMs).toEqual(expect.any(Number));
    const all = JSON.stringify(h.logs);
    for (const token of Object.values(TOKENS)) expect(all).not.toContain(token);
    expect(all).not.toContain('sig=');
  });
});

async function findBlobFile(dir: string, sha256: string): Promise<string> {
  const walk = async (at: string): Promise<string | undefined> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        const found = await walk(path);
        if (found) return found;
      } else if (entry.name.startsWith(sha256)) return path;
    }
    return undefined;
  };
  const found = await walk(dir);
  if (!found) throw new Error(`no blob file for ${sha256} under ${dir}`);
  return found;
}

describe('upload size', () => {
  it('signs each registration for its own size and refuses an upload of the wrong length', async () => {
    const data = csvDataset(30, 8);
    const created = await call(h, 'POST', '/v1/datasets', {
      body: { sha256: data.sha256, bytes: data.bytes.byteLength },
    });
    // Nothing is stored yet, so another size is another claim, with a URL for that size only.
    const other = await call(h, 'POST', '/v1/datasets', {
      body: { sha256: data.sha256, bytes: data.bytes.byteLength + 1 },
    });
    expect(other.status).toBe(201);
    expect(other.json.upload.url).not.toBe(created.json.upload.url);
    const longer = new Uint8Array(data.bytes.byteLength + 5);
    longer.set(data.bytes);
    const declared = await h.fetchPresigned(created.json.upload.url, {
      method: 'PUT',
      headers: { 'content-length': String(longer.byteLength) },
      body: longer,
    });
    expect(declared.status).toBe(413);
    // Without a length header the excess is counted as it streams.
    const streamed = await h.fetchPresigned(created.json.upload.url, { method: 'PUT', body: longer });
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { code: string }).code).toBe('UPLOAD.SIZE_MISMATCH');
    const shorter = await h.fetchPresigned(created.json.upload.url, {
      method: 'PUT',
      body: data.bytes.slice(1),
    });
    expect(shorter.status).toBe(400);
    expect((await call(h, 'GET', `/v1/datasets/${data.sha256}`)).json.status).toBe('pending');
  });
});
