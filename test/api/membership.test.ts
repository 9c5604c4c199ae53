import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenTable } from '../../functions/core/arrow/flat-column.js';
import { verifyMembership } from '../../functions/core/leakage/merkle.js';
import { proofFromWire } from '../../functions/core/leakage/proof-wire.js';
import { rowIdentities } from '../../functions/core/leakage/row-identity.js';
import { MembershipView } from '../../schemas/membership-view.js';
import { call, freezeSplit, uploadDataset } from './support/client.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';
import { TOKENS } from './support/harness.js';
import { leakageHarness } from './support/recorded-leakage.js';

let h: Awaited<ReturnType<typeof leakageHarness>>;
let id: string;
/** Each split's row identities, in file order, as hex. */
const rowsOf: Record<string, string[]> = {};

beforeAll(async () => {
  h = await leakageHarness();
  const data = csvDataset(60, 5);
  await uploadDataset(h, data);
  id = await freezeSplit(h, data.sha256, {
    ...RANDOM_SPEC,
    ratios: { train: 0.6, validation: 0.2, test: 0.2 },
  });
  const recorded = await h.leakage.record(id);
  for (const [split, { sha256 }] of Object.entries(recorded)) {
    const table = tableFromIPC(await h.leakage.read(sha256));
    const ids = rowIdentities(flattenTable(table), table.numRows);
    rowsOf[split] = Array.from({ length: table.numRows }, (_, i) =>
      Buffer.from(ids.subarray(i * 32, i * 32 + 32)).toString('hex'),
    );
  }
});
afterAll(async () => h?.close());

async function trusted(split: string) {
  const answer = await call(h, 'GET', `/v1/splits/${id}/${split}/identities`, { token: TOKENS.reader });
  expect(answer.status).toBe(200);
  return { root: Buffer.from(answer.json.merkleRoot, 'hex'), size: answer.json.distinct as number };
}

async function membership(split: string, row: string) {
  const answer = await call(h, 'GET', `/v1/splits/${id}/${split}/membership?row=${row}`, {
    token: TOKENS.reader,
  });
  expect(answer.status).toBe(200);
  return MembershipView.parse(answer.json);
}

describe('GET /v1/splits/{id}/{split}/membership', () => {
  it('proves every train row a member, each proof verifying against the recorded root', async () => {
    const tree = await trusted('train');
    expect(tree.size).toBe(rowsOf.train!.length);
    for (const row of rowsOf.train!) {
      const answer = await membership('train', row);
      expect(answer).toMatchObject({ manifestId: id, split: 'train', row, member: true, size: tree.size });
      expect(verifyMembership(Buffer.from(row, 'hex'), proofFromWire(answer), tree)).toBe(true);
    }
  });

  it('proves every test row absent from train with neighbours that verify', async () => {
    const tree = await trusted('train');
    for (const row of rowsOf.test!) {
      const answer = await membership('train', row);
      expect(answer.member).toBe(false);
      expect(verifyMembership(Buffer.from(row, 'hex'), proofFromWire(answer), tree)).toBe(true);
    }
  });

  it('answers for a short manifest id, and reads the identity set once for many proofs', async () => {
    const reads = h.leakage.reads.length;
    const answer = await call(
      h,
      'GET',
      `/v1/splits/${id.slice(0, 12)}/validation/membership?row=${'0'.repeat(64)}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json.manifestId).toBe(id);
    await call(h, 'GET', `/v1/splits/${id}/validation/membership?row=${'f'.repeat(64)}`);
    expect(h.leakage.reads.length).toBe(reads + 1);
  });

  it('refuses a row that is not 64 lower-case hex characters with 400', async () => {
    for (const row of ['abc', 'A'.repeat(64), `${'0'.repeat(63)}g`]) {
      const answer = await call(h, 'GET', `/v1/splits/${id}/train/membership?row=${row}`);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ path: 'row' }] });
    }
    const missing = await call(h, 'GET', `/v1/splits/${id}/train/membership`);
    expect(missing.status).toBe(400);
  });

  it('answers 404 LEAKAGE.NO_IDENTITIES for a freeze that recorded no identities', async () => {
    const data = csvDataset(30, 6);
    await uploadDataset(h, data);
    const other = await freezeSplit(h, data.sha256, { ...RANDOM_SPEC, dedupe: 'none' });
    for (const path of [
      `/v1/splits/${other}/train/membership?row=${'0'.repeat(64)}`,
      `/v1/splits/${other}/train/identities`,
    ]) {
      const answer = await call(h, 'GET', path);
      expect(answer.status).toBe(404);
      expect(answer.json.code).toBe('LEAKAGE.NO_IDENTITIES');
    }
  });

  it('answers 404 SPLIT.NOT_FOUND for an unknown manifest', async () => {
    const answer = await call(
      h,
      'GET',
      `/v1/splits/${'e'.repeat(64)}/train/membership?row=${'0'.repeat(64)}`,
    );
    expect(answer.status).toBe(404);
    expect(answer.json.code).toBe('SPLIT.NOT_FOUND');
  });

  it('refuses to prove from an identity set whose root is not the recorded one', async () => {
    const recorded = await h.leakage.splitIdentities(id, 'test');
    h.leakage.override(id, 'test', { ...recorded!, merkleRoot: 'a'.repeat(64) });
    try {
      const answer = await call(h, 'GET', `/v1/splits/${id}/test/membership?row=${rowsOf.test![0]}`);
      expect(answer.status).toBe(500);
      expect(answer.json.code).toBe('BLOB.INTEGRITY');
    } finally {
      h.leakage.override(id, 'test', recorded!);
    }
  });

  it('needs a caller: no token is 401', async () => {
    const answer = await call(h, 'GET', `/v1/splits/${id}/train/identities`, { token: null });
    expect(answer.status).toBe(401);
  });

  it('lists both routes in the OpenAPI document', async () => {
    const doc = (await call(h, 'GET', '/v1/openapi.json', { token: null })).json;
    expect(
      doc.paths['/v1/splits/{id}/{split}/membership'].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual(['id', 'split', 'row']);
    expect(doc.paths['/v1/splits/{id}/{split}/identities'].get.responses['200']).toBeDefined();
    expect(doc.components.schemas.MembershipView).toBeDefined();
  });
});
