import { describe, expect, it } from 'vitest';
import { call } from '../api/support/client.js';
import { aliasRaceSuite } from '../api/support/time-datasets.js';

/**
 * PUT /v1/aliases/{name}/policy writes a revision "on the same manifest" (§8.7), but takes that
 * manifest from the alias it read and the revision from the body. A move that lands between the
 * read and the compare-and-swap is undone by the policy revision: the alias goes back to the
 * manifest it left, a move no quarantine check saw, recorded as alias.policy. The other move is
 * played right after the policy request's read, so the interleaving is exact, not timed.
 */

describe('a policy change racing a move of a quarantined alias', () => {
  const race = aliasRaceSuite();

  it('never moves the alias back onto a manifest that trains on its current test rows', async () => {
    const { h, A, B } = race;
    const put = (body: object) =>
      call(h, 'PUT', '/v1/aliases/policy-race', { body: { reason: 'release', ...body } });
    expect((await put({ manifestId: B, quarantine: true })).status).toBe(201);
    // Sanity: from A, B would train on A's test row 10.
    expect((await put({ manifestId: A })).status).toBe(200);
    expect((await put({ manifestId: B })).json.code).toBe('ALIAS.TEST_LEAK');
    expect((await put({ manifestId: B, allowTestLeak: true })).status).toBe(200);
    const at = (await call(h, 'GET', '/v1/aliases/policy-race')).json.revision as number;

    // The deployer re-states the policy, expecting the revision the move B → A is about to write.
    race.afterNextRead(async () => {
      expect((await put({ manifestId: A, expectedRevision: at })).status).toBe(200);
    });
    const policy = await call(h, 'PUT', '/v1/aliases/policy-race/policy', {
      body: { quarantine: true, reason: 'audit', expectedRevision: at + 1 },
    });

    const alias = (await call(h, 'GET', '/v1/aliases/policy-race')).json;
    expect(alias.manifestId, JSON.stringify(policy.json)).toBe(A);
  });
});
