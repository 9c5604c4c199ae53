/** Audit-log and job cases of the LineageStore contract. */
import { expect, it } from 'vitest';
import type { AuditEntry } from '../../schemas/records.js';
import type { StoreRef } from './lineage-store-conformance.js';
import { audit, job } from './records.js';

async function drain(ref: StoreRef, filter: Parameters<StoreRef['store']['listAudit']>[0], limit: number) {
  const pages: AuditEntry[][] = [];
  let cursor: string | undefined;
  do {
    const page = await ref.store.listAudit(filter, { limit, cursor });
    pages.push([...page.items]);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return pages;
}

export function defineAuditJobConformance(ref: StoreRef): void {
  it('lists audit entries newest first, filtered by actor, action and target, in cursor pages', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const actors = [`ann-${tag}`, `bob-${tag}`];
    const entries: AuditEntry[] = [];
    for (let i = 0; i < 12; i += 1) {
      const entry = audit({
        id: `${tag}-${String(i).padStart(2, '0')}`,
        at: new Date(Date.UTC(2099, 0, 1, 0, i)).toISOString(),
        actor: actors[i % 2]!,
        action: i % 3 === 0 ? 'alias.set' : 'split.freeze',
        target: `thing/${tag}/${i % 4}`,
      });
      entries.push(entry);
      await ref.store.appendAudit(entry);
    }
    const newestFirst = [...entries].reverse();
    const cases: [Parameters<StoreRef['store']['listAudit']>[0], AuditEntry[]][] = [
      [{ actor: actors[0] }, newestFirst.filter((e) => e.actor === actors[0])],
      [{ target: `thing/${tag}/1` }, newestFirst.filter((e) => e.target === `thing/${tag}/1`)],
      [
        { actor: actors[1], action: 'split.freeze' },
        newestFirst.filter((e) => e.actor === actors[1] && e.action === 'split.freeze'),
      ],
      [
        { actor: actors[0], action: 'alias.set', target: `thing/${tag}/0` },
        newestFirst.filter(
          (e) => e.actor === actors[0] && e.action === 'alias.set' && e.target === `thing/${tag}/0`,
        ),
      ],
    ];
    for (const [filter, expected] of cases) {
      const pages = await drain(ref, filter, 2);
      expect(pages.flat()).toEqual(expected);
      expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
    }
    const first = await ref.store.listAudit({}, { limit: 3 });
    expect(first.items).toEqual(newestFirst.slice(0, 3));
    expect(first.cursor).toBeDefined();
    const second = await ref.store.listAudit({}, { limit: 3, cursor: first.cursor });
    expect(second.items).toEqual(newestFirst.slice(3, 6));
  });

  it('refuses to record the same audit entry twice', async () => {
    const entry = audit();
    await ref.store.appendAudit(entry);
    await expect(ref.store.appendAudit(entry)).rejects.toMatchObject({ code: 'AUDIT.DUPLICATE' });
  });

  it('refuses a cursor from one audit listing in another', async () => {
    const target = `cursor-target-${Math.random()}`;
    for (let i = 0; i < 3; i += 1) await ref.store.appendAudit(audit({ target }));
    const page = await ref.store.listAudit({ target }, { limit: 1 });
    expect(page.cursor).toBeDefined();
    await expect(
      ref.store.listAudit({ actor: 'someone-else' }, { limit: 1, cursor: page.cursor }),
    ).rejects.toMatchObject({ code: 'PAGE.INVALID_CURSOR' });
    await expect(ref.store.aliasHistory('prod', { limit: 1, cursor: page.cursor })).rejects.toMatchObject({
      code: 'PAGE.INVALID_CURSOR',
    });
  });

  it('creates, updates and finishes a job, then refuses to change it', async () => {
    const id = `job-${Math.random().toString(36).slice(2, 8)}`;
    await ref.store.createJob(job(id));
    await expect(ref.store.createJob(job(id))).rejects.toMatchObject({
      name: 'AlreadyExistsError',
      code: 'JOB.ALREADY_EXISTS',
    });
    await ref.store.updateJob({ ...job(id), state: 'running' });
    const done = { ...job(id), state: 'succeeded' as const, result: { manifestId: 'x' } };
    await ref.store.updateJob(done);
    expect(await ref.store.getJob(id)).toEqual(done);
    await expect(ref.store.updateJob({ ...job(id), state: 'failed' })).rejects.toMatchObject({
      code: 'JOB.ALREADY_FINISHED',
    });
    expect(await ref.store.getJob(id)).toEqual(done);
  });

  it('refuses to update a job that does not exist', async () => {
    await expect(ref.store.updateJob(job('job-missing'))).rejects.toMatchObject({
      name: 'NotFoundError',
      code: 'JOB.NOT_FOUND',
    });
    expect(await ref.store.getJob('job-missing')).toBeUndefined();
  });
}
