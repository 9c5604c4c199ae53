import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { tokenAuthenticator } from '../../functions/api/auth/token-authenticator.js';
import { loadConfig } from '../../functions/config.js';
import { createEmbeddedBackend } from '../../functions/handlers/embedded-backend.js';
import { InProcessDispatcher } from '../../functions/handlers/in-process-dispatcher.js';
import { type RunningServer, startServer } from '../../functions/handlers/node.js';
import { serviceEnvironment } from '../../functions/handlers/service-environment.js';
import { consoleRoutes } from '../../functions/ui/console.js';
import { http } from '../api/support/http-flow.js';
import { seedVault } from './seed.js';

const TOKEN = 'console-reader-token-0123456789';

describe('the console routes, in-process with a tokens file', () => {
  let dir: string;
  let close: () => void;
  let app: ReturnType<typeof createApp>;
  const logs: Record<string, unknown>[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-console-routes-'));
    const stores = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://splitvault.test' });
    close = stores.close;
    app = createApp({
      version: '0.0.0-test',
      ...stores,
      jobs: new InProcessDispatcher({ ...stores, service: serviceEnvironment('test') }),
      authenticator: tokenAuthenticator({ [TOKEN]: { actor: 'rita', roles: ['reader'] } }),
      presignSeconds: 900,
      log: (line) => logs.push({ ...line }),
      console: consoleRoutes(),
    });
  });
  afterAll(async () => {
    close?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a page without a recognised token with the sign-in page, not data', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-token' }];
    for (const headers of attempts) {
      const page = await app.request('/ui/audit', { headers });
      expect(page.status).toBe(401);
      const html = await page.text();
      expect(html).toContain('data-needs-token="true"');
      expect(html).not.toContain('<table class="audit">');
    }
  });

  it('logs route patterns only, never the bearer token, for the page and the API calls it makes', async () => {
    logs.length = 0;
    const page = await app.request('/ui/audit?actor=rita', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(logs.map((line) => line.route)).toEqual(expect.arrayContaining(['/ui/audit', '/v1/audit']));
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });

  it('is linked from the service root, and answers /ui/ with the catalog', async () => {
    const root = (await (await app.request('/')).json()) as { links: Record<string, string> };
    expect(root.links.console).toBe('/ui');
    const slash = await app.request('/ui/', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect([slash.status, slash.headers.get('location')]).toEqual([302, '/ui']);
  });

  it('serves its style sheet and script under hashed names with a year-long immutable cache', async () => {
    const html = await (await app.request('/ui', { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const urls = [...html.matchAll(/"(\/ui\/assets\/console\.[0-9a-f]{16}\.(?:css|js))"/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      const asset = await app.request(url);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await app.request('/ui/assets/console.0000000000000000.css')).status).toBe(404);
  });
});

describe('the console on the embedded server without tokens', () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-console-csrf-'));
    server = await startServer(loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data') }));
    await seedVault(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a rollback form that another site makes the browser post, and moves nothing', async () => {
    for (const site of ['cross-site', 'same-site', undefined]) {
      const answer = await fetch(`${server.url}/ui/aliases/prod/rollback`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(site ? { 'sec-fetch-site': site } : {}),
        },
        body: 'reason=forged&expectedRevision=2',
      });
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { code: string }).code).toBe('UI.CROSS_SITE_FORM');
    }
    expect((await http(server.url, 'GET', '/v1/aliases/prod')).json.revision).toBe(2);
  });
});
