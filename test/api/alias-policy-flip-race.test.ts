import { describe, expect, it } from 'vitest';
import { call } from './support/client.js';
import { aliasRaceSuite } from './support/time-datasets.js';

/**
 * A move reads an alias that is not quarantined, so it checks nothing; if it then swapped
 * against the body's expectedRevision, a policy change landing in between (quarantine on)
 * would let the move land on the now quarantined alias unchecked. The policy change is played
 * right after the move's read, so the interleaving is exact, not timed.
 */

describe('a move racing the policy change that quarantines its alias', () => {
  const race = aliasRaceSuite();

  it('refuses the move instead of landing it unchecked on the alias just quarantined', async () => {
    const { h, A, B } = race;
    const path = '/v1/aliases/flip-race';
    const created = await call(h, 'PUT', path, { body: { manifestId: A, reason: 'release' } });
    expect(created.status).toBe(201);
    const at = created.json.revision as number;

    race.afterNextRead(async () => {
      const policy = await call(h, 'PUT', `${path}/policy`, {
        body: { quarantine: true, reason: 'freeze the test set', expectedRevision: at },
      });
      expect(policy.status).toBe(200);
    });
    const racing = await call(h, 'PUT', path, {
      body: { manifestId: B, reason: 'promote', expectedRevision: at + 1 },
    });

    expect({ status: racing.status, code: racing.json.code }).toEqual({
      status: 409,
      code: 'ALIAS.REVISION_CONFLICT',
    });
    expect((await call(h, 'GET', path)).json).toMatchObject({ manifestId: A, quarantine: true });
    // Moved now, from the quarantined A, the same move is checked and refused.
    const checked = await call(h, 'PUT', path, { body: { manifestId: B, reason: 'promote' } });
    expect(checked.json.code).toBe('ALIAS.TEST_LEAK');
  });
});
