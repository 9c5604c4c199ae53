import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_DATASETS, BAD_INPUT_BUDGET } from './support/bad-datasets.js';
import { BAD_REQUESTS } from './support/bad-requests.js';
import { call } from './support/call.js';
import { BACKENDS, createHarness, type Harness } from './support/harness.js';
import { csv, freeze, freezeAnswer, setAlias, upload } from './support/seed.js';
import { snapshot } from './support/snapshot.js';

describe.each(BACKENDS)('bad input on the %s backend', (backend) => {
  let h: Harness;
  const ids = { m: '', d: '', a: 'bad-input-prod' };
  let before: Record<string, unknown>;
  const fill = (text: string) =>
    text.replaceAll('{m}', ids.m).replaceAll('{d}', ids.d).replaceAll('{a}', ids.a);

  beforeAll(async () => {
    h = await createHarness(backend, { maxDecodedBytes: BAD_INPUT_BUDGET });
    const dataset = csv(60);
    await upload(h, dataset);
    ids.d = dataset.sha256;
    ids.m = await freeze(h, dataset.sha256);
    expect((await setAlias(h, ids.a, ids.m)).status).toBe(201);
    before = await snapshot(h, [ids.d]);
  });
  afterAll(async () => h?.close());

  it.each(BAD_REQUESTS)('answers $name with $status $code and changes nothing', async (c) => {
    const body =
      c.body === undefined ? undefined : fill(typeof c.body === 'string' ? c.body : JSON.stringify(c.body));
    const answer = await call(h, c.method, fill(c.path), {
      ...(body === undefined ? {} : { body }),
      ...(c.headers ? { headers: c.headers } : {}),
    });
    expect({ status: answer.status, code: answer.json?.code }).toEqual({ status: c.status, code: c.code });
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.json.status).toBe(c.status);
    expect(await snapshot(h, [ids.d])).toEqual(before);
  });

  it.each(BAD_DATASETS)(
    'fails the freeze of $name with a 4xx problem and records no manifest',
    async (c) => {
      const dataset = await c.make();
      await upload(h, dataset, 'bad-input');
      const aliasesBefore = (await snapshot(h, [])).aliases;
      const answer = await freezeAnswer(h, dataset.sha256, c.spec);
      // A caller who waited gets the job's problem as the answer itself.
      const problem = answer.json;
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(problem.status).toBe(answer.status);
      expect(problem.status).toBeGreaterThanOrEqual(400);
      expect(problem.status).toBeLessThan(500);
      expect(problem.code).toMatch(/^[A-Z0-9_]+\.[A-Z0-9_]+$/);
      if (c.status !== undefined)
        expect({ status: problem.status, code: problem.code }).toEqual({ status: c.status, code: c.code });
      const after = await snapshot(h, [dataset.sha256]);
      expect(after.manifests).toEqual({ [dataset.sha256]: [] });
      expect(after.aliases).toEqual(aliasesBefore);
      const freezes = (after.audit as { action: string; details?: { dataset?: string } }[]).filter(
        (e) => e.action === 'split.freeze' && e.details?.dataset === dataset.sha256,
      );
      expect(freezes).toEqual([]);
    },
    180_000,
  );

  it('keeps a dataset name with ../ as opaque metadata, never a path', async () => {
    const dataset = csv(5, 99);
    await upload(h, dataset, '../../../../etc/passwd');
    const read = await call(h, 'GET', `/v1/datasets/${dataset.sha256}`);
    expect(read.json).toMatchObject({ name: '../../../../etc/passwd', status: 'available' });
  });
});
