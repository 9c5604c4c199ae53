/** Alias cases of the LineageStore contract: CAS moves, history, time travel, concurrency. */
import { expect, it } from 'vitest';
import type { AliasMove } from '../../schemas/records.js';
import type { StoreRef } from './lineage-store-conformance.js';
import { minute, move, sha } from './records.js';

export function defineAliasConformance(ref: StoreRef): void {
  it('moves an alias by compare-and-swap and keeps each move in its history', async () => {
    const first = await ref.store.moveAlias(move('prod', sha('m1'), 0, minute(10)));
    expect(first).toMatchObject({ name: 'prod', manifestId: sha('m1'), revision: 1 });
    const second = await ref.store.moveAlias(
      move('prod', sha('m2'), 1, minute(20), { action: 'alias.rollback' }),
    );
    expect(second.revision).toBe(2);
    expect(await ref.store.getAlias('prod')).toEqual(second);
    const history = await ref.store.aliasHistory('prod', { limit: 10 });
    expect(history.items.map((m) => [m.revision, m.manifestId, m.previousManifestId, m.action])).toEqual([
      [2, sha('m2'), sha('m1'), 'alias.rollback'],
      [1, sha('m1'), undefined, 'alias.set'],
    ]);
    expect(await ref.store.aliasRevision('prod', 1)).toMatchObject({ manifestId: sha('m1'), revision: 1 });
    expect(await ref.store.aliasRevision('prod', 3)).toBeUndefined();
    expect(await ref.store.getAlias('never-set')).toBeUndefined();
  });

  it.each([
    ['a stale revision', 1],
    ['a revision from the future', 5],
    ['"must not exist" for an existing alias', 0],
  ])('refuses an alias move with %s and changes nothing', async (_label, expected) => {
    const name = `stale-${expected}`;
    await ref.store.moveAlias(move(name, sha('a'), 0, minute(1)));
    await ref.store.moveAlias(move(name, sha('b'), 1, minute(2)));
    const attempt = move(name, sha('c'), expected, minute(3));
    await expect(ref.store.moveAlias(attempt)).rejects.toMatchObject({
      name: 'RevisionConflictError',
      code: 'ALIAS.REVISION_CONFLICT',
    });
    expect(await ref.store.getAlias(name)).toMatchObject({ manifestId: sha('b'), revision: 2 });
    expect((await ref.store.aliasHistory(name, { limit: 10 })).items).toHaveLength(2);
    expect((await ref.store.listAudit({ target: `alias/${name}` }, { limit: 10 })).items).toHaveLength(2);
  });

  it.each([
    ['before the first move', '2026-01-01T00:00:30Z', undefined],
    ['exactly at the first move', minute(1), 1],
    ['between moves', minute(2), 1],
    ['at a time given with an offset', '2026-01-01T02:03:00+02:00', 2],
    ['after the last move', '2030-01-01T00:00:00Z', 3],
  ])('answers which move was in force %s', async (_label, at, revision) => {
    const name = 'timeline';
    if ((await ref.store.getAlias(name)) === undefined) {
      await ref.store.moveAlias(move(name, sha('t1'), 0, minute(1)));
      await ref.store.moveAlias(move(name, sha('t2'), 1, minute(3)));
      await ref.store.moveAlias(move(name, sha('t3'), 2, minute(5)));
    }
    expect((await ref.store.aliasAt(name, at))?.revision).toBe(revision);
  });

  it('pages alias history newest first and the alias list by name', async () => {
    const names = ['page-a', 'page-b', 'page-c'];
    for (const name of names) await ref.store.moveAlias(move(name, sha(name), 0, minute(1)));
    for (let revision = 1; revision < 5; revision += 1) {
      await ref.store.moveAlias(move('page-a', sha(`a${revision}`), revision, minute(revision + 1)));
    }
    const revisions: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await ref.store.aliasHistory('page-a', { limit: 2, cursor });
      revisions.push(...page.items.map((m) => m.revision));
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(revisions).toEqual([5, 4, 3, 2, 1]);
    const listed: string[] = [];
    cursor = undefined;
    do {
      const page = await ref.store.listAliases({ limit: 2, cursor });
      listed.push(...page.items.map((alias) => alias.name));
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(listed).toEqual([...listed].sort());
    expect(listed).toEqual(expect.arrayContaining(names));
  });

  it('lets exactly one of 20 concurrent moves with the same expected revision win, with no gap in history', async () => {
    const name = `race-${Math.random().toString(36).slice(2, 8)}`;
    await ref.store.moveAlias(move(name, sha('start'), 0, minute(1)));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        ref.store.moveAlias(move(name, sha(`contender-${i}`), 1, minute(2), { requestId: `race-${i}` })),
      ),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((outcome) => (outcome as PromiseRejectedResult).reason.name)).toEqual(
      Array(19).fill('RevisionConflictError'),
    );
    const history: AliasMove[] = [...(await ref.store.aliasHistory(name, { limit: 100 })).items];
    expect(history.map((m) => m.revision)).toEqual([2, 1]);
    expect(history[0]!.previousManifestId).toBe(sha('start'));
    expect((await ref.store.listAudit({ target: `alias/${name}` }, { limit: 100 })).items).toHaveLength(2);
  });
}
