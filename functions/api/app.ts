import type { Hono } from 'hono';
import { createAppWith } from './app-base.js';
import type { AppEnv } from './context.js';
import type { AppDeps } from './deps.js';
import { openApiDocument } from './openapi.js';

export { MAX_JSON_BYTES, type OpenApiSource } from './app-base.js';
export type { AppDeps, ConsoleApi, JobDispatcher } from './deps.js';

/** Builds the one Hono app shared by the Node server and the tests (the API Lambda: lambda.ts). */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  return createAppWith(deps, (d) => openApiDocument(d.version, { uploads: d.uploads !== undefined }));
}
