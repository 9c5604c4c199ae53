import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../reliability/support/call.js';
import { createHarness, type Harness } from '../reliability/support/harness.js';
import { TOKENS, tokenLacking } from '../reliability/support/tokens.js';

interface Route {
  readonly method: string;
  readonly path: string;
  readonly public: boolean;
}

const SAMPLE: Readonly<Record<string, string>> = {
  sha256: 'd'.repeat(64),
  id: 'd'.repeat(64),
  name: 'prod',
  split: 'train',
};

/** Every operation the OpenAPI document publishes, with its path parameters filled in. */
async function publishedRoutes(h: Harness): Promise<Route[]> {
  const doc = (await call(h, 'GET', '/v1/openapi.json', { token: null })).json;
  const routes: Route[] = [];
  for (const [template, ops] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? `unknown-${name}`);
      routes.push({
        method: method.toUpperCase(),
        path,
        public: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return routes;
}

/** Independent of the server's own table: reads need reader, alias changes deployer, the rest writer. */
function roleFor(route: Route) {
  if (route.method === 'GET') return 'reader' as const;
  return route.path.startsWith('/v1/aliases') ? ('deployer' as const) : ('writer' as const);
}

describe('authentication and roles on every published route', () => {
  let h: Harness;
  let routes: Route[];
  beforeAll(async () => {
    h = await createHarness('embedded');
    routes = await publishedRoutes(h);
  });
  afterAll(async () => h?.close());

  it('publishes the routes this suite expects to guard, and only health is public', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.filter((r) => r.public).map((r) => r.path)).toEqual(['/v1/health']);
  });

  it('answers 401 AUTH.REQUIRED on every non-public route without identity', async () => {
    for (const route of routes.filter((r) => !r.public)) {
      for (const header of [
        undefined,
        'Bearer',
        'Bearer nope-nope-nope-nope',
        `Basic ${btoa('a:b')}`,
        `Bearer ${'x'.repeat(10_000)}`,
      ]) {
        const answer = await call(h, route.method, route.path, {
          token: null,
          ...(route.method === 'GET' ? {} : { body: {} }),
          ...(header ? { headers: { authorization: header } } : {}),
        });
        expect({
          route,
          header: header?.slice(0, 20),
          status: answer.status,
          code: answer.json?.code,
        }).toEqual({
          route,
          header: header?.slice(0, 20),
          status: 401,
          code: 'AUTH.REQUIRED',
        });
      }
    }
  });

  it('answers 403 AUTH.MISSING_ROLE on every non-public route to a token lacking its role', async () => {
    for (const route of routes.filter((r) => !r.public)) {
      const answer = await call(h, route.method, route.path, {
        token: tokenLacking(roleFor(route)),
        ...(route.method === 'GET' ? {} : { body: {} }),
      });
      expect({ route, status: answer.status, code: answer.json?.code }).toEqual({
        route,
        status: 403,
        code: 'AUTH.MISSING_ROLE',
      });
    }
  });

  it.each([
    ['/v1/health', 'application/json'],
    ['/v1/openapi.json', 'application/json'],
    ['/docs', 'text/html'],
  ])('serves %s without identity', async (path, type) => {
    const response = await h.app.request(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(type);
  });

  it('lets a token with the right role past authorisation on every route', async () => {
    for (const route of routes.filter((r) => !r.public)) {
      const role = roleFor(route);
      const token = { reader: TOKENS.reader, writer: TOKENS.writer, deployer: TOKENS.deployer }[role];
      const answer = await call(h, route.method, route.path, {
        token,
        ...(route.method === 'GET' ? {} : { body: {} }),
      });
      expect({ route, status: answer.status }).not.toEqual({ route, status: 401 });
      expect({ route, status: answer.status }).not.toEqual({ route, status: 403 });
      expect(answer.status).toBeLessThan(500);
    }
  });
});
