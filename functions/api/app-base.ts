import { Hono } from 'hono';
import type { AppEnv, LogSink } from './context.js';
import type { AppDeps } from './deps.js';
import { loopbackHostsOnly } from './loopback-host.js';
import { authenticate, jsonBodyLimit, requestLog } from './middleware.js';
import { onError, onNotFound } from './problem.js';
import { aliasRoutes } from './routes/aliases.js';
import { artifactRoutes } from './routes/artifacts.js';
import { auditRoutes } from './routes/audit.js';
import { datasetRoutes } from './routes/datasets.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { membershipRoutes } from './routes/membership.js';
import { splitRoutes } from './routes/splits.js';

export type { AppDeps, ConsoleApi, JobDispatcher } from './deps.js';

/** JSON bodies are small (a spec, an alias move); datasets go straight to the blob store. */
export const MAX_JSON_BYTES = 1024 * 1024;

const stdoutLog: LogSink = (line) => console.log(JSON.stringify(line));

/** Where GET /v1/openapi.json gets its document: built from the schemas, or read prebuilt. */
export type OpenApiSource = (deps: AppDeps) => unknown | Promise<unknown>;

/**
 * Builds the one Hono app shared by the Lambda handler, the Node server and the tests, with the
 * OpenAPI document from `openApi`. createApp (app.ts) builds the document from the schemas; the
 * API Lambda reads the one written beside its bundle at build time, which keeps zod's JSON
 * Schema conversion (about 27 KB) out of its bundle and cold start.
 */
export function createAppWith(deps: AppDeps, openApi: OpenApiSource): Hono<AppEnv> {
  const now = deps.now ?? (() => new Date());
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  app.use('*', requestLog(deps.log ?? stdoutLog));
  // Before every route, public and signed-URL ones included: see loopback-host.ts.
  if (deps.loopbackOnly) app.use('*', loopbackHostsOnly());

  app.route('/v1/health', healthRoutes(deps.version, deps.damage));
  // Where someone who only knows the base URL starts; public like health. /docs is listed only
  // where it is mounted (the embedded server), so every link answers.
  app.get('/', (c) =>
    c.json({
      service: 'splitvault',
      version: deps.version,
      links: {
        ...(deps.docs ? { docs: '/docs' } : {}),
        ...(deps.console ? { console: '/ui' } : {}),
        openapi: '/v1/openapi.json',
        health: '/v1/health',
      },
    }),
  );
  // Built on first request, not with the app: converting the schemas costs a cold start ~20 ms.
  let document: Promise<unknown> | undefined;
  app.get('/v1/openapi.json', async (c) => {
    document ??= Promise.resolve(openApi(deps));
    return c.json((await document) as object);
  });
  if (deps.docs) app.route('/docs', deps.docs);
  if (deps.console) {
    const request = (path: string, init: RequestInit, env: unknown) => app.request(path, init, env);
    app.route('/ui', deps.console({ request, authenticator: deps.authenticator }));
  }
  if (deps.signedUrls) {
    app.route('/v1/blobs', deps.signedUrls.routes(deps, deps.signedUrls.verifier, now));
  }
  if (deps.uploads?.parts) {
    app.route('/v1/upload-parts', deps.uploads.routes.parts(deps.uploads.parts, now));
  }

  const limit = jsonBodyLimit(MAX_JSON_BYTES);
  for (const prefix of [
    '/v1/datasets',
    '/v1/splits',
    '/v1/jobs',
    '/v1/artifacts',
    '/v1/aliases',
    '/v1/audit',
    '/v1/uploads',
  ]) {
    app.use(prefix, limit, authenticate(deps.authenticator));
    app.use(`${prefix}/*`, limit, authenticate(deps.authenticator));
  }
  app.route('/v1/datasets', datasetRoutes(deps));
  app.route('/v1/splits', splitRoutes(deps));
  app.route('/v1/splits', membershipRoutes(deps));
  app.route('/v1/jobs', jobRoutes(deps));
  app.route('/v1/artifacts', artifactRoutes(deps));
  app.route('/v1/aliases', aliasRoutes(deps));
  app.route('/v1/audit', auditRoutes(deps));
  if (deps.uploads) app.route('/v1/uploads', deps.uploads.routes.uploads(deps, deps.uploads.store));
  return app;
}
