/** Alias policy cases of the LineageStore contract: test quarantine rides on every revision. */
import { expect, it } from 'vitest';
import type { StoreRef } from './lineage-store-conformance.js';
import { minute, move, sha } from './records.js';

export function defineAliasPolicyConformance(ref: StoreRef): void {
  it('keeps an alias quarantined through moves that do not name the policy, and records each change as a revision', async () => {
    const name = 'quarantined';
    await ref.store.moveAlias(move(name, sha('q1'), 0, minute(1), { quarantine: true }));
    const moved = await ref.store.moveAlias(move(name, sha('q2'), 1, minute(2)));
    expect(moved).toMatchObject({ manifestId: sha('q2'), revision: 2, quarantine: true });
    const lifted = await ref.store.moveAlias(
      move(name, sha('q2'), 2, minute(3), {
        action: 'alias.policy',
        quarantine: false,
        reason: 'retired model',
      }),
    );
    expect(lifted).toMatchObject({ manifestId: sha('q2'), revision: 3 });
    expect(lifted.quarantine).toBeUndefined();
    expect(await ref.store.getAlias(name)).toEqual(lifted);
    const after = await ref.store.moveAlias(move(name, sha('q3'), 3, minute(4)));
    expect(after.quarantine).toBeUndefined();
    const history = (await ref.store.aliasHistory(name, { limit: 10 })).items;
    // History is never rewritten: each revision keeps the policy it was made under.
    expect(history.map((m) => [m.revision, m.action, m.previousManifestId, m.quarantine])).toEqual([
      [4, 'alias.set', sha('q2'), undefined],
      [3, 'alias.policy', sha('q2'), undefined],
      [2, 'alias.set', sha('q1'), true],
      [1, 'alias.set', undefined, true],
    ]);
    expect((await ref.store.aliasRevision(name, 3))?.reason).toBe('retired model');
  });

  it('refuses a policy change with a stale revision and leaves the policy as it was', async () => {
    const name = 'policy-race';
    await ref.store.moveAlias(move(name, sha('p1'), 0, minute(1), { quarantine: true }));
    await ref.store.moveAlias(move(name, sha('p2'), 1, minute(2)));
    await expect(
      ref.store.moveAlias(move(name, sha('p2'), 1, minute(3), { action: 'alias.policy', quarantine: false })),
    ).rejects.toMatchObject({ code: 'ALIAS.REVISION_CONFLICT' });
    expect(await ref.store.getAlias(name)).toMatchObject({ revision: 2, quarantine: true });
  });
}
