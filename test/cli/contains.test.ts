import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from '../api/support/client.js';
import { TOKENS } from '../api/support/harness.js';
import { leakageHarness } from '../api/support/recorded-leakage.js';
import { runCliInProcess } from '../smoke-command/run-cli.js';

/**
 * `splitvault contains`, the real CLI code in this process, against the embedded app over HTTP
 * on 127.0.0.1, with identities recorded from the freeze's real split files. A front in the
 * server can rewrite the JSON of the proof routes, to play a service that lies.
 */

// Test-side JSON of the proof routes, rewritten field by field.
// biome-ignore lint/suspicious/noExplicitAny: tampering edits whatever the answer holds
type Json = any;
type Tamper = (path: string, body: Json) => Json;

let h: Awaited<ReturnType<typeof leakageHarness>>;
let server: ServerType;
let url: string;
let tamper: Tamper | undefined;
let id: string;
/** Values of the dataset's rows by id, and which ids the train split holds. */
const rows: Record<string, unknown>[] = [];
let trainIds: number[];
let testIds: number[];
let trainSet: Uint8Array;

function csv(): { bytes: Uint8Array; sha256: string; rows: number } {
  const lines = ['id,name,score,flag,when'];
  for (let i = 0; i < 50; i++) {
    const row = {
      id: i,
      name: `user "${i}", né`,
      score: i * 0.25,
      flag: i % 3 === 0,
      when: `2024-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00.5Z`,
    };
    rows.push(row);
    lines.push(`${i},"${row.name.replaceAll('"', '""')}",${row.score},${row.flag},${row.when}`);
  }
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), rows: 50 };
}

async function idsOf(sha256: string): Promise<number[]> {
  const table = tableFromIPC(await h.leakage.read(sha256));
  return Array.from(table.getChild('id')!.toArray() as BigInt64Array, Number);
}

beforeAll(async () => {
  h = await leakageHarness();
  const data = csv();
  await uploadDataset(h, data);
  id = await freezeSplit(h, data.sha256, {
    strategy: 'random',
    seed: 11,
    ratios: { train: 0.6, validation: 0.2, test: 0.2 },
    format: 'csv',
  });
  const recorded = await h.leakage.record(id);
  trainIds = await idsOf(recorded.train.sha256);
  testIds = await idsOf(recorded.test.sha256);
  trainSet = await h.leakage.read(recorded.train.identities);
  server = serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request) => {
      const answer = await h.app.fetch(request);
      const path = new URL(request.url).pathname;
      if (!tamper || !/\/(membership|identities)$/.test(path) || answer.status !== 200) return answer;
      const body = tamper(path, await answer.json());
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

const contains = (...args: string[]) =>
  runCliInProcess(['contains', ...args], { SPLITVAULT_URL: url, SPLITVAULT_TOKEN: TOKENS.reader });
const rowJson = (i: number) => JSON.stringify(rows[i]);

/** Runs `contains` with `t` rewriting the proof routes' answers. */
async function tampered(t: Tamper, ...args: string[]) {
  tamper = t;
  try {
    return await contains(...args);
  } finally {
    tamper = undefined;
  }
}

/** The honest proof of the train leaf at `index` (of the sorted identity set). */
async function leafAt(index: number) {
  const row = Buffer.from(trainSet.subarray(index * 32, index * 32 + 32)).toString('hex');
  return (await call(h, 'GET', `/v1/splits/${id}/train/membership?row=${row}`)).json.leaf;
}

const flipFirstBit = (hex: string) => (Number.parseInt(hex[0]!, 16) ^ 8).toString(16) + hex.slice(1);

function expectNoAnswer(run: { code: number; stdout: string; stderr: string }) {
  expect(run.stderr).toContain('[MEMBERSHIP.PROOF_INVALID]');
  expect(run.code).toBe(3);
  expect(run.stdout).not.toMatch(/in train/);
}

describe('splitvault contains', () => {
  it('says "in train" and exits 0 for each train row given by its values', async () => {
    for (const i of trainIds.slice(0, 5)) {
      const run = await contains(id, 'train', '--row-json', rowJson(i));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^in train\n {2}manifest [0-9a-f]{64}\n/);
      expect(run.stdout).toContain('verified against root');
    }
  });

  it('says "not in train" and exits 1 for a test row and for a row the dataset never had', async () => {
    const absent = await contains(id, 'train', '--row-json', rowJson(testIds[0]!));
    expect(absent.code).toBe(1);
    expect(absent.stdout).toMatch(/^not in train\n/);
    const never = { ...rows[trainIds[0]!], name: 'someone else' };
    const stranger = await contains(id, 'train', '--row-json', JSON.stringify(never));
    expect(stranger.code).toBe(1);
    expect(stranger.stdout).toMatch(/^not in train\n/);
    const elsewhere = await contains(id, 'test', '--row-json', rowJson(trainIds[0]!));
    expect(elsewhere.code).toBe(1);
  });

  it('proves by a known identity with --row-hex, resolves a short id, and prints one JSON document under --json', async () => {
    const row = Buffer.from(trainSet.subarray(0, 32)).toString('hex');
    const run = await contains(id.slice(0, 10), 'train', '--row-hex', row.toUpperCase(), '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      manifestId: id,
      split: 'train',
      row,
      member: true,
      verified: true,
      size: trainSet.length / 32,
      proof: { member: true, leaf: { index: 0 } },
    });
  });

  it('trusts the recorded root, not the one the membership answer claims', async () => {
    const run = await tampered(
      (path, body) => (path.endsWith('/membership') ? { ...body, root: 'f'.repeat(64) } : body),
      id,
      'train',
      '--row-json',
      rowJson(trainIds[1]!),
    );
    expect(run.code).toBe(0);
  });

  it.each<[string, Tamper]>([
    [
      'a flipped bit in a path hash',
      (_p, b) => ({
        ...b,
        leaf: { ...b.leaf, path: [flipFirstBit(b.leaf.path[0]), ...b.leaf.path.slice(1)] },
      }),
    ],
    [
      'another leaf index',
      (_p, b) => ({ ...b, leaf: { ...b.leaf, index: b.leaf.index === 0 ? 1 : b.leaf.index - 1 } }),
    ],
    ['a dropped path entry', (_p, b) => ({ ...b, leaf: { ...b.leaf, path: b.leaf.path.slice(0, -1) } })],
    [
      'an extra path entry',
      (_p, b) => ({ ...b, leaf: { ...b.leaf, path: [...b.leaf.path, b.leaf.path[0]] } }),
    ],
    ['another tree size', (_p, b) => ({ ...b, size: b.size + 1 })],
    [
      'another row as the leaf',
      (_p, b) => ({ ...b, leaf: { ...b.leaf, identity: flipFirstBit(b.leaf.identity) } }),
    ],
  ])('refuses a member proof with %s: exit 3, never an answer', async (_name, t) => {
    const run = await tampered(
      (path, body) => (path.endsWith('/membership') ? t(path, body) : body),
      id,
      'train',
      '--row-json',
      rowJson(trainIds[2]!),
    );
    expectNoAnswer(run);
  });

  it('refuses a service that hides a member behind the leaves on either side of it', async () => {
    const row = Buffer.from(trainSet.subarray(3 * 32, 4 * 32)).toString('hex');
    const [below, above] = [await leafAt(2), await leafAt(4)];
    const run = await tampered(
      (path, body) =>
        path.endsWith('/membership') ? { ...body, member: false, leaf: undefined, below, above } : body,
      id,
      'train',
      '--row-hex',
      row,
    );
    expectNoAnswer(run);
  });

  it.each<[string, Tamper]>([
    ['its neighbours swapped', (_p, b) => ({ ...b, below: b.above, above: b.below })],
    ['a neighbour moved', (_p, b) => ({ ...b, below: { ...b.below, index: b.below.index - 1 } })],
    [
      'a flipped bit in a path hash',
      (_p, b) => ({
        ...b,
        above: { ...b.above, path: [flipFirstBit(b.above.path[0]), ...b.above.path.slice(1)] },
      }),
    ],
    ['a dropped neighbour', (_p, b) => ({ ...b, above: undefined })],
    [
      'a claim of membership with a neighbour as the leaf',
      (_p, b) => ({ ...b, member: true, leaf: b.below }),
    ],
  ])('refuses a non-member proof with %s', async (_name, t) => {
    // A row between two train leaves, so both neighbours exist.
    const middle = Buffer.from(trainSet.subarray(5 * 32, 6 * 32));
    middle[31]! ^= 1;
    const row = middle.toString('hex');
    const honest = await contains(id, 'train', '--row-hex', row);
    expect(honest.code).toBe(1);
    const run = await tampered(
      (path, body) => (path.endsWith('/membership') ? t(path, body) : body),
      id,
      'train',
      '--row-hex',
      row,
    );
    expectNoAnswer(run);
  });

  it('refuses when the recorded root it is given is not the one the proof leads to', async () => {
    const run = await tampered(
      (path, body) =>
        path.endsWith('/identities') ? { ...body, merkleRoot: flipFirstBit(body.merkleRoot) } : body,
      id,
      'train',
      '--row-json',
      rowJson(testIds[1]!),
    );
    expectNoAnswer(run);
  });

  it('refuses identities recorded for another file than the split the manifest names', async () => {
    const run = await tampered(
      (path, body) => (path.endsWith('/identities') ? { ...body, sha256: 'd'.repeat(64) } : body),
      id,
      'train',
      '--row-json',
      rowJson(trainIds[0]!),
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('[MEMBERSHIP.IDENTITIES_MISMATCH]');
  });

  it('exits 2 naming the column when the row does not fit the split schema', async () => {
    const { name: _dropped, ...partial } = rows[0]!;
    const missing = await contains(id, 'train', '--row-json', JSON.stringify(partial));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('column "name"');
    expect(missing.stderr).toContain('[MEMBERSHIP.ROW_MISMATCH]');
    const wrong = await contains(id, 'train', '--row-json', JSON.stringify({ ...rows[0], flag: 'yes' }));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('column "flag" (Bool): expected true or false');
  });

  it('exits 2 for a usage error: no row, two rows, a bad identity, an unknown split', async () => {
    for (const args of [
      [id, 'train'],
      [id, 'train', '--row-json', '{}', '--row-hex', '0'.repeat(64)],
      [id, 'train', '--row-hex', 'abc'],
      [id, 'holdout', '--row-hex', '0'.repeat(64)],
    ]) {
      expect((await contains(...args)).code).toBe(2);
    }
  });

  it('exits 3 when the freeze recorded no identities', async () => {
    const other = new TextEncoder().encode(`id\n${Array.from({ length: 20 }, (_, i) => i).join('\n')}\n`);
    const sha256 = createHash('sha256').update(other).digest('hex');
    await uploadDataset(h, { bytes: other, sha256, rows: 20 });
    const unrecorded = await freezeSplit(h, sha256, {
      strategy: 'random',
      seed: 1,
      ratios: { train: 0.6, validation: 0.2, test: 0.2 },
      format: 'csv',
      dedupe: 'none',
    });
    const run = await contains(unrecorded, 'train', '--row-json', '{"id": 1}');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('[LEAKAGE.NO_IDENTITIES]');
  });
});
