import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
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

/**
 * POSTs `size` bytes with that Content-Length over a raw socket, in 64 KiB writes `pauseMs`
 * apart, and reads the answer only once everything is sent, as clients that write the whole
 * request first do. Resolves with the status line and body, or the socket error.
 */
function postThenRead(base: string, path: string, size: number, pauseMs: number) {
  const url = new URL(base);
  return new Promise<{ status: string; body: string } | { error: string }>((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const readAnswer = () => {
      const chunks: Buffer[] = [];
      socket.on('data', (data: Buffer) => {
        chunks.push(data);
        const text = Buffer.concat(chunks).toString('utf8');
        const [head, body] = text.split('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1] ?? Number.NaN);
        if (body !== undefined && Buffer.byteLength(body) >= length) {
          resolve({ status: head!.split('\r\n')[0]!, body });
          socket.destroy();
        }
      });
    };
    const writeNext = () => {
      if (sent >= size) return readAnswer();
      const part = chunk.subarray(0, Math.min(chunk.byteLength, size - sent));
      sent += part.byteLength;
      socket.write(part, (err) => (err ? undefined : setTimeout(writeNext, pauseMs)));
    };
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
      () => writeNext(),
    );
  });
}

describe('the embedded server and oversized bodies', () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-oversize-'));
    server = await startServer(loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data') }));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Paced past the Node adapter's 500 ms drain window, after which it used to reset the socket.
  it.each([
    ['/v1/splits', 2 * 1024 * 1024],
    ['/v1/datasets', 1024 * 1024 + 1],
  ])(
    'answers a fixed-length body too large for %s (%i bytes) with the 413 document, not a reset',
    async (path, size) => {
      const answer = await postThenRead(server.url, path, size, 40);
      expect(answer).toMatchObject({ status: 'HTTP/1.1 413 Payload Too Large' });
      expect(JSON.parse((answer as { body: string }).body)).toMatchObject({
        status: 413,
        code: 'REQUEST.TOO_LARGE',
      });
      expect((await http(server.url, 'GET', '/v1/health')).status).toBe(200);
    },
  );
});

describe('the embedded server with a tokens file', () => {
  it('requires a bearer token and refuses to leave 127.0.0.1 without one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'splitvault-tokens-'));
    const tokensFile = join(dir, 'tokens.json');
    await writeFile(
      tokensFile,
      JSON.stringify({ 'a-long-enough-test-token': { actor: 'ci', roles: ['reader', 'writer'] } }),
      { mode: 0o600 },
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
