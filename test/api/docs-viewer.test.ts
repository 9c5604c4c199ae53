import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ASSET_PREFIX } from '../../functions/api/docs-viewer.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await embeddedHarness();
});
afterAll(async () => h?.close());

/** Every URL an HTML page makes the browser load or follow. */
const referencedUrls = (html: string) =>
  [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/g)].map((m) => m[1]!);

describe('the offline API viewer at /docs', () => {
  it('references only same-origin URLs, and the page forbids loading from elsewhere', async () => {
    const page = await h.app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    const urls = referencedUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
  });

  it('serves every asset the page names from the app, versioned and cached for a year', async () => {
    const html = await (await h.app.request('/docs')).text();
    const assets = referencedUrls(html).filter((url) => url.startsWith(`${DOCS_ASSET_PREFIX}/`));
    expect(assets.map((url) => url.slice(DOCS_ASSET_PREFIX.length + 1)).sort()).toEqual([
      'favicon-32x32.png',
      'swagger-ui-bundle.js',
      'swagger-ui.css',
    ]);
    expect(DOCS_ASSET_PREFIX).toMatch(/^\/docs\/assets\/\d+\.\d+\.\d+$/);
    for (const url of assets) {
      const answer = await h.app.request(url);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await answer.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    const script = await h.app.request(`${DOCS_ASSET_PREFIX}/swagger-ui-bundle.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('SwaggerUIBundle');
  });

  it("starts Swagger UI on this server's OpenAPI document with the outside validator off", async () => {
    const init = await h.app.request('/docs/init.js');
    expect(init.status).toBe(200);
    const text = await init.text();
    expect(text).toContain("url: '/v1/openapi.json'");
    expect(text).toContain('validatorUrl: null');
    expect(text).not.toMatch(/https?:/);
  });

  it.each(['__proto__', 'constructor', 'package.json', '..%2Fpackage.json', 'swagger-ui-bundle.js.map'])(
    'answers 404 for an asset name it does not serve: %s',
    async (name) => {
      const answer = await h.app.request(`${DOCS_ASSET_PREFIX}/${name}`);
      expect(answer.status).toBe(404);
    },
  );
});
