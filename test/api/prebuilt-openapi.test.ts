import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../functions/api/deps.js';
import { openApiDocument } from '../../functions/api/openapi.js';
import { OPENAPI_FILE, prebuiltOpenApi } from '../../functions/handlers/prebuilt-openapi.js';

const dir = mkdtempSync(join(tmpdir(), 'splitvault-openapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const deps = { version: '9.9.9-test' } as AppDeps;

describe('the API Lambda’s OpenAPI document', () => {
  it('is read from the file beside the bundle when the build wrote one', async () => {
    writeFileSync(join(dir, OPENAPI_FILE), JSON.stringify({ openapi: '3.1.0', marker: true }));
    const source = prebuiltOpenApi(pathToFileURL(join(dir, 'index.mjs')).href);
    expect(await source(deps)).toEqual({ openapi: '3.1.0', marker: true });
  });

  it('is built from the schemas when run from source, where no file was written', async () => {
    const source = prebuiltOpenApi(pathToFileURL(join(dir, 'nested', 'index.mjs')).href);
    expect(await source(deps)).toEqual(openApiDocument('9.9.9-test', { uploads: false }));
  });
});
