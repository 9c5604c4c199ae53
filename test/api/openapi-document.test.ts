import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { call } from './support/client.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await embeddedHarness();
});
afterAll(async () => h?.close());

type Operation = { operationId?: string; tags?: string[] };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

async function operations(): Promise<[string, Operation][]> {
  const doc = (await call(h, 'GET', '/v1/openapi.json', { token: null })).json;
  return Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]): [string, Operation] => [`${method} ${path}`, op]),
  );
}

/** Every subschema of a JSON document, at any depth. */
function* schemasIn(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const item of node) yield* schemasIn(item);
  else if (node !== null && typeof node === 'object') {
    yield node as Record<string, unknown>;
    for (const value of Object.values(node)) yield* schemasIn(value);
  }
}

describe('the OpenAPI document', () => {
  it('gives every operation a unique operationId', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(15);
    const ids = ops.map(([, op]) => op.operationId);
    for (const [name, op] of ops) expect(op.operationId, name).toMatch(/^[a-z][A-Za-z0-9]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names operations after their method and path', async () => {
    const ops = Object.fromEntries(await operations());
    expect(ops['get /v1/splits/{id}/lineage']?.operationId).toBe('getSplitsByIdLineage');
    expect(ops['post /v1/aliases/{name}/rollback']?.operationId).toBe('postAliasesByNameRollback');
  });

  it('tags every operation with the resource it belongs to', async () => {
    for (const [name, op] of await operations()) {
      expect(op.tags, name).toEqual([name.split('/')[2]]);
    }
  });

  it('publishes date-time fields as a format, with no pattern', async () => {
    const doc = (await call(h, 'GET', '/v1/openapi.json', { token: null })).json;
    const dateTimes = [...schemasIn(doc)].filter((s) => s.format === 'date-time');
    // createdAt, expiresAt, at, from, to... in responses, bodies and query parameters.
    expect(dateTimes.length).toBeGreaterThan(10);
    for (const schema of dateTimes) expect(schema).not.toHaveProperty('pattern');
  });
});

describe('GET /', () => {
  it('links to the docs, the OpenAPI document and health without a token', async () => {
    const root = await call(h, 'GET', '/', { token: null });
    expect(root.status).toBe(200);
    expect(root.json.links).toEqual({ docs: '/docs', openapi: '/v1/openapi.json', health: '/v1/health' });
    for (const href of Object.values(root.json.links as Record<string, string>)) {
      expect((await h.app.request(href)).status, href).toBe(200);
    }
  });

  it('leaves out the docs link where no docs viewer is mounted', async () => {
    // As the Lambda API is built; GET / touches none of the ports.
    const unused = {} as never;
    const app = createApp({
      version: '1.2.3',
      ...{
        blobs: unused,
        lineage: unused,
        catalog: unused,
        leakage: unused,
        jobs: unused,
        authenticator: unused,
      },
      presignSeconds: 900,
      log: () => undefined,
    });
    const body = (await (await app.request('/')).json()) as Record<string, unknown>;
    expect(body).toEqual({
      service: 'splitvault',
      version: '1.2.3',
      links: { openapi: '/v1/openapi.json', health: '/v1/health' },
    });
  });
});
