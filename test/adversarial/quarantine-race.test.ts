import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredLeakage } from '../../functions/adapters/common/stored-leakage.js';
import type { SplitName } from '../../schemas/common.js';
import { call, freezeSplit, uploadDataset } from '../api/support/client.js';
import { type ApiHarness, embeddedHarness } from '../api/support/harness.js';
import { TIME_SPEC, timeDataset } from '../api/support/time-datasets.js';

/**
 * Test quarantine (docs/SPLIT-SPEC.md §8.7) says the check runs against "the target at the
 * revision the move is made against (the compare-and-swap makes the check and the move one
 * decision)". PUT /v1/aliases/{name} checks against the alias it read, but moves against the
 * body's expectedRevision: a move that lands between the read and the compare-and-swap is
 * never checked. The other move is played from inside the guard's first identity read, so the
 * interleaving is exact, not timed.
 */

describe('a quarantined alias moved by two requests at once', () => {
  let h: ApiHarness;
  /** Runs once, inside the guard's first identity read, then is cleared. */
  let interleave: (() => Promise<void>) | undefined;
  let A: string;
  let B: string;
  let G: string;

  beforeAll(async () => {
    h = await embeddedHarness({
      leakage: (stores) => {
        const real = new StoredLeakage(stores.blobs, stores.lineage);
        return {
          report: (id: string) => real.report(id),
          identitySet: (address: string) => real.identitySet(address),
          openIdentitySet: (address: string) => real.openIdentitySet(address),
          splitIdentities: async (id: string, split: SplitName) => {
            const run = interleave;
            interleave = undefined;
            if (run) await run();
            return real.splitIdentities(id, split);
          },
        };
      },
    });
    // A: rows 1–10, test = row 10. B: rows 1–20, test = rows 19–20. G: rows 1–18, trains on row 10.
    const [a, b, g] = [timeDataset(1, 10), timeDataset(1, 20), timeDataset(1, 18)];
    for (const data of [a, b, g]) await uploadDataset(h, data);
    A = await freezeSplit(h, a.sha256, TIME_SPEC);
    B = await freezeSplit(h, b.sha256, TIME_SPEC);
    G = await freezeSplit(h, g.sha256, TIME_SPEC);
  });
  afterAll(async () => h?.close());

  it('refuses a move onto a manifest that trains on a test row of the target another move set just before its compare-and-swap', async () => {
    const put = (body: object) =>
      call(h, 'PUT', '/v1/aliases/race', { body: { reason: 'release', ...body } });
    expect((await put({ manifestId: B, quarantine: true })).status).toBe(201);
    // Sanity: moved from A, G would train on A's test row 10.
    expect((await put({ manifestId: A })).status).toBe(200);
    expect((await put({ manifestId: G })).json.code).toBe('ALIAS.TEST_LEAK');
    expect((await put({ manifestId: B, allowTestLeak: true })).status).toBe(200);
    const at = (await call(h, 'GET', '/v1/aliases/race')).json.revision as number;

    // The client moves to G, expecting the revision the other move (B → A) is about to write.
    interleave = async () => {
      expect((await put({ manifestId: A, expectedRevision: at })).status).toBe(200);
    };
    const racing = await put({ manifestId: G, expectedRevision: at + 1 });

    const alias = (await call(h, 'GET', '/v1/aliases/race')).json;
    // Either refused (a test leak, or a revision conflict), or never silently onto G from A.
    expect(racing.status, JSON.stringify(racing.json)).toBe(409);
    expect(alias.manifestId).toBe(A);
  });
});
