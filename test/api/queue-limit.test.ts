import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { localUserAuthenticator } from '../../functions/api/auth/fixed-authenticator.js';
import { createEmbeddedBackend } from '../../functions/handlers/embedded-backend.js';
import { InProcessDispatcher } from '../../functions/handlers/in-process-dispatcher.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';

const data = csvDataset(30, 2);

describe('the embedded job queue', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After and JOB.QUEUE_FULL once its queue is full, and never runs the refused job', async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-queue-'));
    const stores = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://splitvault.test' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ran: string[] = [];
    const dispatcher = new InProcessDispatcher(
      { ...stores, service: { service: 'splitvault' } },
      {
        queueLimit: 1,
        retryAfterSeconds: 7,
        execute: async (job) => {
          ran.push(job.id);
          await gate;
          return { state: 'succeeded', manifestId: 'b'.repeat(64), result: {} };
        },
      },
    );
    const app = createApp({
      version: '0.0.0-test',
      ...stores,
      jobs: dispatcher,
      authenticator: localUserAuthenticator('local:tester'),
      presignSeconds: 900,
      log: () => undefined,
    });
    const created = await app.request('/v1/datasets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sha256: data.sha256, bytes: data.bytes.byteLength }),
    });
    const { url, method, headers } = (
      (await created.json()) as { upload: { url: string; method: string; headers: Record<string, string> } }
    ).upload;
    expect((await app.request(url, { method, headers, body: data.bytes })).status).toBe(201);
    const freeze = () =>
      app.request('/v1/splits', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataset: data.sha256, spec: RANDOM_SPEC }),
      });
    const running = await freeze();
    const waiting = await freeze();
    expect([running.status, waiting.status]).toEqual([202, 202]);
    const refused = await freeze();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await refused.json()) as { code: string; title: string };
    expect(problem).toMatchObject({ code: 'JOB.QUEUE_FULL', title: 'Too Many Requests' });

    release();
    await dispatcher.idle();
    const jobs = await stores.lineage.listUnfinishedJobs(10);
    expect(jobs).toEqual([]);
    expect(ran).toHaveLength(2);
    stores.close();
  });
});
