import { readFile } from 'node:fs/promises';
import type { OpenApiSource } from '../api/app-base.js';

/** The file the API function's build writes beside its bundle (scripts/write-openapi.ts). */
export const OPENAPI_FILE = 'openapi.json';

/**
 * The OpenAPI document as the API Lambda serves it: read once from the file its build wrote
 * beside the bundle, so the bundle carries no schema-to-JSON-Schema conversion. Run from source
 * (tests, tsx) there is no such file, and the document is built from the schemas instead; the
 * module name is computed so that esbuild leaves that import out of the bundle.
 */
export function prebuiltOpenApi(moduleUrl: string): OpenApiSource {
  return async (deps) => {
    try {
      return JSON.parse(await readFile(new URL(OPENAPI_FILE, moduleUrl), 'utf8')) as unknown;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const source = ['..', 'api', 'openapi.js'].join('/');
      const { openApiDocument } = (await import(source)) as typeof import('../api/openapi.js');
      return openApiDocument(deps.version, { uploads: deps.uploads !== undefined });
    }
  };
}
