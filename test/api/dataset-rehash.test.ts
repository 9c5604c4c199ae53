/**
 * A registration that declares another size than the stored bytes makes the server re-hash
 * those bytes before it believes them (a truncated blob must get a repair upload instead of a
 * 409). That read happens once per blob, so repeating the wrong size can't make the server
 * re-read a large blob on every request.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredLeakage } from '../../functions/adapters/common/stored-leakage.js';
import { createApp } from '../../functions/api/app.js';
import { localUserAuthenticator } from '../../functions/api/auth/fixed-authenticator.js';
import type { BlobStore } from '../../functions/core/ports.js';
import { createEmbeddedBackend } from '../../functions/handlers/embedded-backend.js';
import { InProcessDispatcher } from '../../functions/handlers/in-process-dispatcher.js';
import { serviceEnvironment } from '../../functions/handlers/service-environment.js';
import { csvDataset } from './support/dataset.js';

describe('registrations of a stored dataset with another size', () => {
  let dir = '';
  let backend: Awaited<ReturnType<typeof createEmbeddedBackend>>;
  let reads = 0;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-rehash-'));
    backend = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://127.0.0.1:1' });
    const counting: BlobStore = new Proxy(backend.blobs, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'open' || typeof value !== 'function')
          return typeof value === 'function' ? value.bind(target) : value;
        return (...args: Parameters<BlobStore['open']>) => {
          reads += 1;
          return target.open(...args);
        };
      },
    });
    app = createApp({
      version: '0.0.0-test',
      blobs: counting,
      lineage: backend.lineage,
      catalog: backend.catalog,
      leakage: new StoredLeakage(counting, backend.lineage),
      signedUrls: backend.signedUrls,
      jobs: new InProcessDispatcher({
        blobs: counting,
        lineage: backend.lineage,
        service: serviceEnvironment(undefined),
      }),
      authenticator: localUserAuthenticator('local:test'),
      presignSeconds: 900,
      log: () => {},
    });
  });
  afterAll(async () => {
    backend?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const register = (body: Record<string, unknown>) =>
    app.request('/v1/datasets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('re-hashes the stored bytes once, then answers every repeat with 409 without reading them', async () => {
    const data = csvDataset(50, 31);
    const created = (await (
      await register({ sha256: data.sha256, bytes: data.bytes.byteLength })
    ).json()) as {
      upload: { url: string; method: string; headers: Record<string, string> };
    };
    const put = await app.request(created.upload.url, {
      method: created.upload.method,
      headers: created.upload.headers,
      body: data.bytes,
    });
    expect(put.status).toBe(201);
    for (let i = 0; i < 5; i += 1) {
      const answer = await register({ sha256: data.sha256, bytes: 7 });
      expect(answer.status).toBe(409);
      expect(((await answer.json()) as { code: string }).code).toBe('DATASET.SIZE_MISMATCH');
    }
    expect(reads).toBe(1);
  });
});
