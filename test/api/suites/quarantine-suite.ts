import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredLeakage } from '../../../functions/adapters/common/stored-leakage.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { rowIdentities } from '../../../functions/core/leakage/row-identity.js';
import type { SplitName } from '../../../schemas/common.js';
import { call, freezeSplit, uploadDataset } from '../support/client.js';
import { RANDOM_SPEC } from '../support/dataset.js';
import { type ApiHarness, type HarnessOptions, TOKENS } from '../support/harness.js';
import { TIME_SPEC, timeDataset } from '../support/time-datasets.js';

/**
 * Test quarantine (docs/SPLIT-SPEC.md §8.7) through the API. The manifests, by the time
 * strategy (train, validation, test by ascending t):
 *   A = rows 1…10: train 1–8, validation 9, test 10
 *   B = rows 1…20: train 1–16 (so row 10, A's only test row, moves into train), test 19–20
 *   C = rows 2…10: train 2–8, validation 9, test 10 (no leak from A)
 *   E = rows 1…10 split at random with dedupe "none": no identities recorded
 */
export function quarantineSuite(
  name: string,
  makeHarness: (options: HarnessOptions) => Promise<ApiHarness>,
  { stream = false }: { stream?: boolean } = {},
): void {
  describe(`test quarantine on aliases (${name}${stream ? ', identity sets streamed' : ''})`, () => {
    let h: ApiHarness;
    /** Identity sets the guard read, by address. */
    const reads: string[] = [];
    let A: string;
    let B: string;
    let C: string;
    let E: string;
    /** The identity of row t = 10, read from A's real test split file. */
    let row10: string;

    beforeAll(async () => {
      h = await makeHarness({
        // The real stored identities; without openIdentitySet the guard reads each set whole.
        leakage: (stores) => {
          const real = new StoredLeakage(stores.blobs, stores.lineage);
          const whole = {
            report: (id: string) => real.report(id),
            splitIdentities: (id: string, split: SplitName) => real.splitIdentities(id, split),
            identitySet: (address: string) => {
              reads.push(address);
              return real.identitySet(address);
            },
          };
          return stream
            ? {
                ...whole,
                openIdentitySet: (address: string) => {
                  reads.push(address);
                  return real.openIdentitySet(address);
                },
              }
            : whole;
        },
      });
      const [v1, v2, v3] = [timeDataset(1, 10), timeDataset(1, 20), timeDataset(2, 10)];
      for (const data of [v1, v2, v3]) await uploadDataset(h, data);
      A = await freezeSplit(h, v1.sha256, TIME_SPEC);
      B = await freezeSplit(h, v2.sha256, TIME_SPEC);
      C = await freezeSplit(h, v3.sha256, TIME_SPEC);
      // Frozen without identities, as before the leakage guard.
      E = await freezeSplit(h, v1.sha256, { ...RANDOM_SPEC, dedupe: 'none' });
      const manifest = await h.lineage.getManifest(A);
      const chunks: Uint8Array[] = [];
      for await (const chunk of await h.blobs.open('artifact', manifest!.splits.test.sha256))
        chunks.push(chunk);
      const table = tableFromIPC(Buffer.concat(chunks));
      expect(table.getChild('t')?.toArray()).toEqual(BigInt64Array.of(10n));
      row10 = Buffer.from(rowIdentities(flattenTable(table), 1)).toString('hex');
    });
    afterAll(async () => h?.close());

    const put = (alias: string, body: object, token?: string) =>
      call(h, 'PUT', `/v1/aliases/${alias}`, {
        body: { reason: 'release', ...body },
        ...(token ? { token } : {}),
      });
    const lastAudit = async (alias: string) =>
      (await call(h, 'GET', `/v1/audit?target=alias:${alias}&limit=1`)).json.items[0];

    it('refuses to move a quarantined alias onto a manifest that trains on a former test row, naming that row', async () => {
      const created = await put('q', { manifestId: A, quarantine: true });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ manifestId: A, revision: 1, quarantine: true });
      const leaky = await put('q', { manifestId: B });
      expect(leaky.status).toBe(409);
      expect(leaky.json).toMatchObject({ code: 'ALIAS.TEST_LEAK' });
      expect(leaky.json.testLeak).toEqual({ count: 1, examples: [{ identity: row10, split: 'train' }] });
      expect((await call(h, 'GET', '/v1/aliases/q')).json).toMatchObject({ manifestId: A, revision: 1 });
    });

    it('accepts a manifest with no former test row in train or validation, and stays quarantined', async () => {
      const moved = await put('q', { manifestId: C });
      expect(moved.status).toBe(200);
      expect(moved.json).toMatchObject({ manifestId: C, revision: 2, quarantine: true });
      expect((await lastAudit('q')).details).toMatchObject({ testLeak: { checked: true, count: 0 } });
    });

    it('accepts the leaky manifest with allowTestLeak and a reason, and the audit records the allowed leak', async () => {
      const allowed = await put('q', { manifestId: B, allowTestLeak: true, reason: 'row 10 was relabelled' });
      expect(allowed.status).toBe(200);
      expect(allowed.json).toMatchObject({ manifestId: B, revision: 3, quarantine: true });
      expect(await lastAudit('q')).toMatchObject({
        action: 'alias.set',
        reason: 'row 10 was relabelled',
        details: { manifestId: B, testLeak: { checked: true, count: 1, allowed: true } },
      });
    });

    it('refuses a rollback that would train on the current test rows, unless it allows the leak', async () => {
      expect((await put('r', { manifestId: B, quarantine: true })).status).toBe(201);
      // B's test rows (19, 20) are in neither of A's other splits.
      expect((await put('r', { manifestId: A })).status).toBe(200);
      const back = await call(h, 'POST', '/v1/aliases/r/rollback', { body: { reason: 'regression' } });
      expect(back.status).toBe(409);
      expect(back.json.testLeak).toEqual({ count: 1, examples: [{ identity: row10, split: 'train' }] });
      const toOne = await call(h, 'POST', '/v1/aliases/r/rollback', {
        body: { reason: 'again', toRevision: 1 },
      });
      expect(toOne.json.code).toBe('ALIAS.TEST_LEAK');
      const allowed = await call(h, 'POST', '/v1/aliases/r/rollback', {
        body: { reason: 'regression is worse', allowTestLeak: true },
      });
      expect(allowed.json).toMatchObject({ manifestId: B, revision: 3 });
      expect((await lastAudit('r')).details.testLeak).toEqual({ checked: true, count: 1, allowed: true });
    });

    it('refuses a move it cannot check, from or to a manifest without stored identities, unless allowed', async () => {
      await put('u', { manifestId: A, quarantine: true });
      const to = await put('u', { manifestId: E });
      expect(to.status).toBe(409);
      expect(to.json.code).toBe('ALIAS.LEAK_UNCHECKED');
      const allowed = await put('u', { manifestId: E, allowTestLeak: true, reason: 'legacy freeze' });
      expect(allowed.status).toBe(200);
      expect((await lastAudit('u')).details.testLeak).toEqual({ checked: false, allowed: true });
      const from = await put('u', { manifestId: C });
      expect(from.json.code).toBe('ALIAS.LEAK_UNCHECKED');
    });

    it('lets a deployer lift and restore quarantine with a reason, each a new audited revision', async () => {
      await put('p', { manifestId: A, quarantine: true });
      const reader403 = await call(h, 'PUT', '/v1/aliases/p/policy', {
        token: TOKENS.reader,
        body: { quarantine: false, reason: 'x' },
      });
      expect(reader403.status).toBe(403);
      const noReason = await call(h, 'PUT', '/v1/aliases/p/policy', { body: { quarantine: false } });
      expect(noReason.status).toBe(400);
      const viaMove = await put('p', { manifestId: B, quarantine: false });
      expect(viaMove.json.code).toBe('ALIAS.POLICY_CHANGE');
      const lifted = await call(h, 'PUT', '/v1/aliases/p/policy', {
        token: TOKENS.deployer,
        body: { quarantine: false, reason: 'model retired' },
      });
      expect(lifted.status).toBe(200);
      expect(lifted.json).toMatchObject({ manifestId: A, revision: 2, updatedBy: 'carol' });
      expect(lifted.json.quarantine).toBeUndefined();
      expect(await lastAudit('p')).toMatchObject({
        action: 'alias.policy',
        actor: 'carol',
        reason: 'model retired',
        details: { quarantine: false },
      });
      // Unquarantined, the leaky move needs no allowance and no identities are read.
      const before = reads.length;
      expect((await put('p', { manifestId: B })).status).toBe(200);
      expect(reads.length).toBe(before);
      const restored = await call(h, 'PUT', '/v1/aliases/p/policy', {
        body: { quarantine: true, reason: 'back in production', expectedRevision: 3 },
      });
      expect(restored.json).toMatchObject({ manifestId: B, revision: 4, quarantine: true });
      // Rollback skips the policy revision to the last real move (B → A) and checks it.
      const back = await call(h, 'POST', '/v1/aliases/p/rollback', { body: { reason: 'undo' } });
      expect(back.json).toMatchObject({ manifestId: A, revision: 5, quarantine: true });
    });
  });
}
