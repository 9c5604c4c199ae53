import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { type RunningServer, startServer } from '../../functions/handlers/node.js';
import { csvDataset, RANDOM_SPEC, sha256Of } from './support/dataset.js';
import { http, uploadAndFreeze } from './support/http-flow.js';

describe('the embedded server over real HTTP', () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-node-'));
    server = await startServer(loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data') }));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads, freezes, downloads every split, and moves, rolls back and audits an alias', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const data = csvDataset(500, 4);
    const manifest = await uploadAndFreeze(server.url, data, RANDOM_SPEC);
    let rows = 0;
    for (const split of ['train', 'validation', 'test'] as const) {
      const redirect = await http(server.url, 'GET', `/v1/splits/${manifest.id}/${split}`);
      expect(redirect.status).toBe(307);
      const download = await fetch(redirect.headers.get('location')!);
      const bytes = new Uint8Array(await download.arrayBuffer());
      expect(sha256Of(bytes)).toBe(manifest.splits[split].sha256);
      const table = tableFromIPC(bytes);
      expect(table.numRows).toBe(manifest.splits[split].rows);
      expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'label', 'value']);
      rows += table.numRows;
    }
    expect(rows).toBe(data.rows);

    const other = await http(server.url, 'POST', '/v1/splits?wait=50', {
      dataset: data.sha256,
      spec: { ...RANDOM_SPEC, seed: 3 },
    });
    const set = await http(server.url, 'PUT', '/v1/aliases/prod', {
      manifestId: manifest.id,
      reason: 'launch',
    });
    expect(set.json.revision).toBe(1);
    const afterSet = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const moved = await http(server.url, 'PUT', '/v1/aliases/prod', {
      manifestId: other.json.manifest.id,
      reason: 'reseed',
      expectedRevision: 1,
    });
    expect(moved.json.revision).toBe(2);
    const back = await http(server.url, 'POST', '/v1/aliases/prod/rollback', { reason: 'bad metrics' });
    expect(back.json).toMatchObject({ revision: 3, manifestId: manifest.id });
    const history = await http(server.url, 'GET', '/v1/aliases/prod/history');
    expect(history.json.items.map((m: { action: string }) => m.action)).toEqual([
      'alias.rollback',
      'alias.set',
      'alias.set',
    ]);
    const then = await http(server.url, 'GET', `/v1/aliases/prod/history?at=${encodeURIComponent(afterSet)}`);
    expect(then.json.manifestId).toBe(manifest.id);
    const audit = await http(server.url, 'GET', '/v1/audit?target=alias:prod');
    expect(audit.json.items.map((e: { reason: string }) => e.reason)).toEqual([
      'bad metrics',
      'reseed',
      'launch',
    ]);
    expect(audit.json.items[0].actor).toMatch(/^local:/);
  });
});

describe('the embedded server with a tokens file', () => {
  it('requires a bearer token and refuses to leave 127.0.0.1 without one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'splitvault-tokens-'));
    const tokensFile = join(dir, 'tokens.json');
    await writeFile(
      tokensFile,
      JSON.stringify({ 'a-long-enough-test-token': { actor: 'ci', roles: ['reader', 'writer'] } }),
    );
    const server = await startServer(
      loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data'), SPLITVAULT_TOKENS_FILE: tokensFile }),
    );
    try {
      expect((await http(server.url, 'GET', '/v1/aliases')).status).toBe(401);
      const ok = await http(server.url, 'GET', '/v1/aliases', undefined, {
        authorization: 'Bearer a-long-enough-test-token',
      });
      expect(ok.status).toBe(200);
      const manifest = await uploadAndFreeze(server.url, csvDataset(40, 5), RANDOM_SPEC, {
        authorization: 'Bearer a-long-enough-test-token',
      });
      expect(manifest.id).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await server.close();
    }
    await expect(
      startServer(loadConfig({ PORT: '0', HOST: '0.0.0.0', SPLITVAULT_DATA_DIR: join(dir, 'x') })),
    ).rejects.toThrow(/HOST="0.0.0.0"/);
    await rm(dir, { recursive: true, force: true });
  });
});
