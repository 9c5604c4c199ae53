/** Job lease cases of the LineageStore contract: compare-and-swap and the restart listing. */
import { expect, it } from 'vitest';
import type { Job } from '../../schemas/records.js';
import type { StoreRef } from './lineage-store-conformance.js';
import { job, minute } from './records.js';

const fresh = (label: string) => `job-${label}-${Math.random().toString(36).slice(2, 8)}`;

function claimed(base: Job, owner: string, revision: number): Job {
  return {
    ...base,
    state: 'running',
    attempts: revision,
    lease: { owner, expiresAt: minute(revision + 1) },
    revision,
  };
}

export function defineJobConformance(ref: StoreRef): void {
  it('swaps a job only from the revision it was read at', async () => {
    const id = fresh('swap');
    await ref.store.createJob(job(id));
    expect(await ref.store.swapJob(claimed(job(id), 'first', 1), 0)).toBe(true);
    expect(await ref.store.swapJob(claimed(job(id), 'second', 1), 0)).toBe(false);
    expect(await ref.store.getJob(id)).toEqual(claimed(job(id), 'first', 1));
    expect(await ref.store.swapJob(claimed(job(id), 'first', 2), 1)).toBe(true);
    expect((await ref.store.getJob(id))?.revision).toBe(2);
  });

  it('lets exactly one of several simultaneous claims win', async () => {
    const id = fresh('race');
    await ref.store.createJob(job(id));
    const owners = ['a', 'b', 'c', 'd', 'e'];
    const won = await Promise.all(owners.map((owner) => ref.store.swapJob(claimed(job(id), owner, 1), 0)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = owners[won.indexOf(true)]!;
    expect((await ref.store.getJob(id))?.lease?.owner).toBe(winner);
  });

  it('refuses to swap a finished job and reports a job that does not exist', async () => {
    const id = fresh('finished');
    await ref.store.createJob(job(id));
    const done: Job = { ...job(id), state: 'failed', revision: 1 };
    expect(await ref.store.swapJob(done, 0)).toBe(true);
    expect(await ref.store.swapJob(claimed(job(id), 'late', 2), 1)).toBe(false);
    expect(await ref.store.getJob(id)).toEqual(done);
    await expect(ref.store.swapJob(claimed(job(fresh('missing')), 'x', 1), 0)).rejects.toMatchObject({
      code: 'JOB.NOT_FOUND',
    });
  });

  it('lists queued and running jobs oldest first and forgets them once they finish', async () => {
    const ids = [fresh('list-a'), fresh('list-b'), fresh('list-c')];
    for (const [i, id] of ids.entries()) {
      await ref.store.createJob({ ...job(id), createdAt: minute(100 + i), updatedAt: minute(100 + i) });
    }
    const [a, b, c] = ids as [string, string, string];
    await ref.store.swapJob({ ...claimed((await ref.store.getJob(b))!, 'x', 1) }, 0);
    await ref.store.swapJob({ ...(await ref.store.getJob(c))!, state: 'succeeded', revision: 1 }, 0);
    const listed = (await ref.store.listUnfinishedJobs(1000)).filter((j) => ids.includes(j.id));
    expect(listed.map((j) => [j.id, j.state])).toEqual([
      [a, 'queued'],
      [b, 'running'],
    ]);
  });
}
