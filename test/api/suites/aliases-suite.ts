import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from '../support/client.js';
import { csvDataset, RANDOM_SPEC } from '../support/dataset.js';
import type { ApiHarness } from '../support/harness.js';

/** Aliases (move, conflict, rollback, history, time travel) and the audit log they write. */
export function aliasesSuite(name: string, makeHarness: () => Promise<ApiHarness>): void {
  describe(`aliases and audit (${name})`, () => {
    let h: ApiHarness;
    let first: string;
    let second: string;
    beforeAll(async () => {
      h = await makeHarness();
      const data = csvDataset(120, 2);
      await uploadDataset(h, data);
      first = await freezeSplit(h, data.sha256, RANDOM_SPEC);
      second = await freezeSplit(h, data.sha256, { ...RANDOM_SPEC, seed: 8 });
    });
    afterAll(async () => h?.close());

    it('creates, moves, refuses a stale move, rolls back and keeps every revision', async () => {
      const created = await call(h, 'PUT', '/v1/aliases/prod', {
        body: { manifestId: first, reason: 'first release' },
      });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ name: 'prod', manifestId: first, revision: 1, updatedBy: 'root' });
      const betweenMoves = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const moved = await call(h, 'PUT', '/v1/aliases/prod', {
        body: { manifestId: second, reason: 'reshuffle', expectedRevision: 1 },
      });
      expect(moved.status).toBe(200);
      expect(moved.json.revision).toBe(2);
      const stale = await call(h, 'PUT', '/v1/aliases/prod', {
        body: { manifestId: first, reason: 'late', expectedRevision: 1 },
      });
      expect(stale.status).toBe(409);
      expect(stale.json.code).toBe('ALIAS.REVISION_CONFLICT');
      const unknown = await call(h, 'PUT', '/v1/aliases/prod', {
        body: { manifestId: 'd'.repeat(64), reason: 'typo' },
      });
      expect(unknown.status).toBe(404);

      const rolled = await call(h, 'POST', '/v1/aliases/prod/rollback', { body: { reason: 'regression' } });
      expect(rolled.json).toMatchObject({ manifestId: first, revision: 3 });
      const toTwo = await call(h, 'POST', '/v1/aliases/prod/rollback', {
        body: { reason: 'fixed', toRevision: 2 },
      });
      expect(toTwo.json).toMatchObject({ manifestId: second, revision: 4 });

      const history = await call(h, 'GET', '/v1/aliases/prod/history?limit=3');
      expect(history.json.items.map((m: { revision: number }) => m.revision)).toEqual([4, 3, 2]);
      expect(history.json.items[1]).toMatchObject({
        action: 'alias.rollback',
        reason: 'regression',
        previousManifestId: second,
      });
      const rest = await call(
        h,
        'GET',
        `/v1/aliases/prod/history?limit=3&cursor=${encodeURIComponent(history.json.cursor)}`,
      );
      expect(rest.json.items.map((m: { revision: number }) => m.revision)).toEqual([1]);
      const then = await call(h, 'GET', `/v1/aliases/prod/history?at=${encodeURIComponent(betweenMoves)}`);
      expect(then.json).toMatchObject({ revision: 1, manifestId: first });
      const before = await call(h, 'GET', '/v1/aliases/prod/history?at=2000-01-01T00:00:00Z');
      expect(before.status).toBe(404);
      expect((await call(h, 'GET', '/v1/aliases/prod')).json).toMatchObject({
        manifestId: second,
        revision: 4,
      });
      expect((await call(h, 'GET', '/v1/aliases')).json.items.map((a: { name: string }) => a.name)).toContain(
        'prod',
      );
    });

    it('refuses to roll back an alias that has nowhere earlier to go', async () => {
      await call(h, 'PUT', '/v1/aliases/fresh', { body: { manifestId: first, reason: 'new' } });
      const answer = await call(h, 'POST', '/v1/aliases/fresh/rollback', { body: { reason: 'oops' } });
      expect(answer.status).toBe(409);
      expect(answer.json.code).toBe('ALIAS.NO_PREVIOUS');
      expect((await call(h, 'POST', '/v1/aliases/nobody/rollback', { body: { reason: 'x' } })).status).toBe(
        404,
      );
    });

    it('makes a retried rollback safe with expectedRevision: the retry gets 409, not a second move', async () => {
      await call(h, 'PUT', '/v1/aliases/retry', { body: { manifestId: first, reason: 'one' } });
      await call(h, 'PUT', '/v1/aliases/retry', { body: { manifestId: second, reason: 'two' } });
      const body = { reason: 'bad deploy', expectedRevision: 2 };
      const once = await call(h, 'POST', '/v1/aliases/retry/rollback', { body });
      expect(once.json).toMatchObject({ manifestId: first, revision: 3 });
      const again = await call(h, 'POST', '/v1/aliases/retry/rollback', { body });
      expect({ status: again.status, code: again.json.code }).toEqual({
        status: 409,
        code: 'ALIAS.REVISION_CONFLICT',
      });
      const history = await call(h, 'GET', '/v1/aliases/retry/history');
      expect(history.json.items.map((m: { revision: number }) => m.revision)).toEqual([3, 2, 1]);
    });

    it("serves the alias target's split through a presigned URL", async () => {
      await call(h, 'PUT', '/v1/aliases/serving', { body: { manifestId: second, reason: 'serve' } });
      const info = await call(h, 'GET', '/v1/aliases/serving/splits/test', {
        headers: { accept: 'application/json' },
      });
      const manifest = (await call(h, 'GET', `/v1/splits/${second}`)).json.manifest;
      expect(info.json).toMatchObject({
        sha256: manifest.splits.test.sha256,
        rows: manifest.splits.test.rows,
      });
      expect((await h.fetchPresigned(info.json.url)).status).toBe(200);
    });

    it('audits every alias move with actor, reason and request id, filterable by action and actor', async () => {
      await call(h, 'PUT', '/v1/aliases/audited', { body: { manifestId: first, reason: 'for audit' } });
      const entries = await call(h, 'GET', '/v1/audit?action=alias.set&target=alias:audited');
      expect(entries.json.items).toHaveLength(1);
      expect(entries.json.items[0]).toMatchObject({
        actor: 'root',
        reason: 'for audit',
        target: 'alias:audited',
      });
      expect(entries.json.items[0].requestId).toEqual(expect.any(String));
      const byActor = await call(h, 'GET', '/v1/audit?actor=nobody-at-all');
      expect(byActor.json.items).toEqual([]);
      const page = await call(h, 'GET', '/v1/audit?limit=2');
      expect(page.json.items).toHaveLength(2);
      expect(page.json.cursor).toEqual(expect.any(String));
    });
  });
}
