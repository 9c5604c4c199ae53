import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { FsBlobStore } from '../../functions/adapters/local/fs-blob-store.js';
import { FsMultipartStore } from '../../functions/adapters/local/fs-multipart-store.js';
import type { AppEnv } from '../../functions/api/context.js';
import { onError } from '../../functions/api/problem.js';
import { uploadPartRoutes } from '../../functions/api/routes/upload-parts.js';
import { defineMultipartStoreConformance } from './multipart-store-conformance.js';

defineMultipartStoreConformance('file system', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-multipart-conformance-'));
  const base = { publicBaseUrl: 'http://splitvault.test', secret: randomBytes(32) };
  const blobs = new FsBlobStore({ ...base, dir: join(dir, 'blobs'), retentionDays: 1 });
  const store = new FsMultipartStore({ ...base, dir: join(dir, 'uploads'), blobs });
  const parts = { verifier: store.verifier, put: store.putPart.bind(store) };
  const app = new Hono<AppEnv>().route(
    '/v1/upload-parts',
    uploadPartRoutes(parts, () => new Date()),
  );
  app.onError(onError);
  return {
    store,
    blobs,
    send: async (request, body) =>
      (await app.request(request.url, { method: request.method, headers: request.headers, body })).status,
    close: () => rm(dir, { recursive: true, force: true }),
  };
});
