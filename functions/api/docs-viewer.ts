/**
 * Swagger UI for the embedded server, served from the pinned swagger-ui-dist package on this
 * machine: the page, its script and its style all come from this origin, so /docs works
 * offline and a browser opening it talks to nobody else (the Content-Security-Policy says so
 * too). The assets are read from node_modules on first use, so nothing here is bundled: the
 * Lambda API never mounts it (behind IAM auth a browser can't open /docs there anyway).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import viewer from 'swagger-ui-dist/package.json' with { type: 'json' };
import type { AppEnv } from './context.js';

const VIEWER_VERSION = viewer.version;

/** Where the versioned assets live; a new swagger-ui-dist version gets new URLs. */
export const DOCS_ASSET_PREFIX = `/docs/assets/${VIEWER_VERSION}`;

// A Map, so a name such as `__proto__` finds nothing instead of Object.prototype.
const ASSETS: ReadonlyMap<string, { file: string; type: string }> = new Map([
  ['swagger-ui-bundle.js', { file: 'swagger-ui-dist/swagger-ui-bundle.js', type: 'text/javascript' }],
  ['swagger-ui.css', { file: 'swagger-ui-dist/swagger-ui.css', type: 'text/css' }],
  ['favicon-32x32.png', { file: 'swagger-ui-dist/favicon-32x32.png', type: 'image/png' }],
]);

// Swagger UI's style attributes and data: SVG icons need the two relaxations; scripts,
// fetches and everything else stay on this origin.
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>splitvault API</title>
<link rel="stylesheet" href="${DOCS_ASSET_PREFIX}/swagger-ui.css">
<link rel="icon" type="image/png" href="${DOCS_ASSET_PREFIX}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSET_PREFIX}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl: null, or Swagger UI sends the document to an outside validator for a badge.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
});
`;

/** The /docs routes: the page, its start-up script and the package's assets. */
export function docsViewerRoutes(): Hono<AppEnv> {
  const require = createRequire(import.meta.url);
  const loaded = new Map<string, Promise<Buffer>>();
  const load = (file: string) => {
    let bytes = loaded.get(file);
    if (!bytes) {
      bytes = readFile(require.resolve(file));
      loaded.set(file, bytes);
    }
    return bytes;
  };
  return new Hono<AppEnv>()
    .get('/', (c) =>
      c.html(PAGE, 200, { 'cache-control': 'no-cache', 'content-security-policy': PAGE_POLICY }),
    )
    .get('/init.js', (c) =>
      c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
    )
    .get(`/assets/${VIEWER_VERSION}/:name`, async (c) => {
      const asset = ASSETS.get(c.req.param('name'));
      if (!asset) return c.notFound();
      const bytes = await load(asset.file);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': asset.type,
        // The URL carries the package version, so the bytes behind it never change.
        'cache-control': 'public, max-age=31536000, immutable',
      });
    });
}
