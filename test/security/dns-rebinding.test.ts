import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { type RunningServer, startServer } from '../../functions/handlers/node.js';
import { csvDataset } from '../api/support/dataset.js';
import { http } from '../api/support/http-flow.js';

interface RawAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** One request over real HTTP with a Host header (and request target) of our choosing. */
function send(
  base: string,
  method: string,
  target: string,
  host: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: {
          host,
          ...headers,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

describe('the embedded server without a tokens file', () => {
  let dir: string;
  let server: RunningServer;
  let port: string;
  let signedGet: string;
  let signedPut: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-rebind-'));
    server = await startServer(loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data') }));
    port = new URL(server.url).port;
    const data = csvDataset(20, 3);
    const created = await http(server.url, 'POST', '/v1/datasets', {
      sha256: data.sha256,
      bytes: data.bytes.byteLength,
    });
    signedPut = created.json.upload.url;
    const other = csvDataset(10, 4);
    const stored = await http(server.url, 'POST', '/v1/datasets', {
      sha256: other.sha256,
      bytes: other.bytes.byteLength,
    });
    await fetch(stored.json.upload.url, {
      method: 'PUT',
      headers: stored.json.upload.headers,
      body: other.bytes,
    });
    const link = await http(server.url, 'GET', `/v1/artifacts/${other.sha256}`, undefined, {
      accept: 'application/json',
    });
    signedGet = link.json.url;
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const pathOf = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  };

  it.each([
    ['GET', '/v1/health'],
    ['GET', '/v1/openapi.json'],
    ['GET', '/docs'],
    ['GET', '/v1/aliases'],
    ['GET', '/v1/audit'],
    ['POST', '/v1/datasets'],
    ['PUT', '/v1/aliases/prod'],
    ['GET', '/no/such/route'],
    ['GET', 'signed GET'],
    ['PUT', 'signed PUT'],
  ])('refuses %s %s addressed to another host name (DNS rebinding)', async (method, route) => {
    const target =
      route === 'signed GET' ? pathOf(signedGet) : route === 'signed PUT' ? pathOf(signedPut) : route;
    for (const host of [
      'attacker.example',
      `attacker.example:${port}`,
      '127.0.0.1.attacker.example',
      'localhost.',
    ]) {
      const answer = await send(server.url, method, target, host, {}, method === 'GET' ? undefined : '{}');
      expect({ host, status: answer.status, type: answer.contentType }).toEqual({
        host,
        status: 403,
        type: 'application/problem+json',
      });
      expect(JSON.parse(answer.body).code).toBe('REQUEST.HOST_NOT_ALLOWED');
    }
  });

  it('refuses an absolute request target naming another host, whatever the Host header says', async () => {
    const answer = await send(server.url, 'GET', 'http://attacker.example/v1/aliases', `127.0.0.1:${port}`);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).code).toBe('REQUEST.HOST_NOT_ALLOWED');
  });

  it.each(['127.0.0.1', '127.0.0.1:{port}', 'localhost', 'LOCALHOST:{port}', '[::1]', '[::1]:{port}'])(
    'answers a request addressed to %s as the local user',
    async (host) => {
      const answer = await send(server.url, 'GET', '/v1/aliases', host.replace('{port}', port));
      expect(answer.status).toBe(200);
      const download = await send(server.url, 'GET', pathOf(signedGet), host.replace('{port}', port));
      expect(download.status).toBe(200);
    },
  );

  it('refuses a request that a page on another origin sent, even addressed to 127.0.0.1 (cross-site request forgery)', async () => {
    // A page anywhere can send a POST with no body and no preflight; verify needs none.
    const manifestId = 'a'.repeat(64);
    for (const origin of ['http://attacker.example', `http://attacker.example:${port}`, 'null']) {
      for (const [method, target] of [
        ['POST', `/v1/splits/${manifestId}/verify`],
        ['PUT', pathOf(signedPut)],
        ['GET', '/v1/aliases'],
      ] as const) {
        const answer = await send(server.url, method, target, `127.0.0.1:${port}`, { origin });
        expect({ origin, method, status: answer.status }).toEqual({ origin, method, status: 403 });
        expect(JSON.parse(answer.body).code).toBe('REQUEST.ORIGIN_NOT_ALLOWED');
      }
    }
  });

  it.each(['http://127.0.0.1:{port}', 'http://localhost:{port}', 'http://[::1]:{port}'])(
    'answers a request from a page served by this machine (Origin %s)',
    async (origin) => {
      const answer = await send(server.url, 'GET', '/v1/aliases', `127.0.0.1:${port}`, {
        origin: origin.replace('{port}', port),
      });
      expect(answer.status).toBe(200);
    },
  );

  it('refuses to start with a public URL that is not a loopback name', async () => {
    await expect(
      startServer(
        loadConfig({
          PORT: '0',
          SPLITVAULT_DATA_DIR: join(dir, 'other'),
          SPLITVAULT_PUBLIC_URL: 'http://splitvault.example:3000',
        }),
      ),
    ).rejects.toThrow(/SPLITVAULT_PUBLIC_URL="http:\/\/splitvault.example:3000"/);
  });
});

describe('the embedded server with a tokens file', () => {
  it('answers any Host name, since a bearer token, not locality, grants the roles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'splitvault-rebind-tokens-'));
    const tokensFile = join(dir, 'tokens.json');
    await writeFile(
      tokensFile,
      JSON.stringify({ 'a-long-enough-test-token': { actor: 'ci', roles: ['reader'] } }),
      {
        mode: 0o600,
      },
    );
    const server = await startServer(
      loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data'), SPLITVAULT_TOKENS_FILE: tokensFile }),
    );
    try {
      const anonymous = await send(server.url, 'GET', '/v1/aliases', 'splitvault.example');
      expect(anonymous.status).toBe(401);
      const answer = await send(server.url, 'GET', '/v1/aliases', 'splitvault.example', {
        authorization: 'Bearer a-long-enough-test-token',
      });
      expect(answer.status).toBe(200);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
