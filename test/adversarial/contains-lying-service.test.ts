import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from '../api/support/client.js';
import { TOKENS } from '../api/support/harness.js';
import { leakageHarness } from '../api/support/recorded-leakage.js';
import { runCliInProcess } from '../smoke-command/run-cli.js';

/**
 * `splitvault contains` promises (its --help, docs/SPLIT-SPEC.md §8.6) that "a service that
 * answered wrongly cannot make this say 'in' or 'not in'". But the root and size it trusts come
 * from the same service (GET …/identities), tied to the manifest only by a `sha256` field the
 * service also writes; nothing links them to the manifest id the user trusts. A service that
 * lies consistently, on both routes, proves any row in any split.
 */

// biome-ignore lint/suspicious/noExplicitAny: the front rewrites whatever JSON the routes answer
type Json = any;

let h: Awaited<ReturnType<typeof leakageHarness>>;
let server: ServerType;
let url: string;
let id: string;
let lie: ((path: string, body: Json) => Json) | undefined;

const sha = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

beforeAll(async () => {
  h = await leakageHarness();
  const lines = ['id,name'];
  for (let i = 0; i < 40; i++) lines.push(`${i},user-${i}`);
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  const data = { bytes, sha256: sha(bytes).toString('hex'), rows: 40 };
  await uploadDataset(h, data);
  id = await freezeSplit(h, data.sha256, {
    strategy: 'random',
    seed: 5,
    ratios: { train: 0.6, validation: 0.2, test: 0.2 },
    format: 'csv',
  });
  server = serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request) => {
      const answer = await h.app.fetch(request);
      const path = new URL(request.url).pathname;
      if (!lie || !/\/(membership|identities)$/.test(path) || answer.status !== 200) return answer;
      return Response.json(lie(path, await answer.json()));
    },
  });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

describe('splitvault contains against a service that lies on both proof routes', () => {
  it('does not say "in train" for a row the train split does not hold', async () => {
    // A row the service itself proves absent from train.
    const recorded = await h.leakage.record(id);
    const testSet = await h.leakage.read(recorded.test.identities);
    const row = Buffer.from(testSet.subarray(0, 32)).toString('hex');
    const honest = await call(h, 'GET', `/v1/splits/${id}/train/membership?row=${row}`);
    expect(honest.json.member).toBe(false);

    // A one-leaf tree of that row: root = leaf hash, size 1, empty path.
    const root = sha(Uint8Array.of(0), Buffer.from(row, 'hex')).toString('hex');
    lie = (path, body) =>
      path.endsWith('/identities')
        ? { ...body, distinct: 1, merkleRoot: root }
        : { ...body, member: true, size: 1, root, leaf: { identity: row, index: 0, path: [] } };
    let run: Awaited<ReturnType<typeof runCliInProcess>>;
    try {
      run = await runCliInProcess(['contains', id, 'train', '--row-hex', row], {
        SPLITVAULT_URL: url,
        SPLITVAULT_TOKEN: TOKENS.reader,
      });
    } finally {
      lie = undefined;
    }
    expect(run.stdout).not.toMatch(/^in train/);
    expect(run.code).not.toBe(0);
  });
});
