import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredLeakage } from '../../functions/adapters/common/stored-leakage.js';
import type { AliasRecord } from '../../schemas/records.js';
import { call, freezeSplit, uploadDataset } from '../api/support/client.js';
import type { DatasetBytes } from '../api/support/dataset.js';
import { type ApiHarness, embeddedHarness } from '../api/support/harness.js';

/**
 * PUT /v1/aliases/{name}/policy writes a revision "on the same manifest" (§8.7), but takes that
 * manifest from the alias it read and the revision from the body. A move that lands between the
 * read and the compare-and-swap is undone by the policy revision: the alias goes back to the
 * manifest it left, a move no quarantine check saw, recorded as alias.policy. The other move is
 * played right after the policy request's read, so the interleaving is exact, not timed.
 */

function timeDataset(first: number, last: number): DatasetBytes {
  const lines = ['t,v'];
  for (let t = first; t <= last; t += 1) lines.push(`${t},row-${t}`);
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), rows: last - first + 1 };
}

const TIME_SPEC = {
  strategy: 'time',
  orderBy: 't',
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  format: 'csv',
} as const;

describe('a policy change racing a move of a quarantined alias', () => {
  let h: ApiHarness;
  /** Runs once, right after the next alias read, then is cleared. */
  let afterRead: (() => Promise<void>) | undefined;
  let A: string;
  let B: string;

  beforeAll(async () => {
    h = await embeddedHarness({
      leakage: (stores) => {
        // The app's lineage store, its alias reads observed (the same object the routes call).
        const lineage = stores.lineage as { getAlias(name: string): Promise<AliasRecord | undefined> };
        const read = lineage.getAlias.bind(lineage);
        lineage.getAlias = async (name) => {
          const alias = await read(name);
          const run = afterRead;
          afterRead = undefined;
          if (run) await run();
          return alias;
        };
        return new StoredLeakage(stores.blobs, stores.lineage);
      },
    });
    // A: rows 1–10, test = row 10. B: rows 1–20, trains on row 10, test = rows 19–20.
    const [a, b] = [timeDataset(1, 10), timeDataset(1, 20)];
    for (const data of [a, b]) await uploadDataset(h, data);
    A = await freezeSplit(h, a.sha256, TIME_SPEC);
    B = await freezeSplit(h, b.sha256, TIME_SPEC);
  });
  afterAll(async () => h?.close());

  it('never moves the alias back onto a manifest that trains on its current test rows', async () => {
    const put = (body: object) =>
      call(h, 'PUT', '/v1/aliases/policy-race', { body: { reason: 'release', ...body } });
    expect((await put({ manifestId: B, quarantine: true })).status).toBe(201);
    // Sanity: from A, B would train on A's test row 10.
    expect((await put({ manifestId: A })).status).toBe(200);
    expect((await put({ manifestId: B })).json.code).toBe('ALIAS.TEST_LEAK');
    expect((await put({ manifestId: B, allowTestLeak: true })).status).toBe(200);
    const at = (await call(h, 'GET', '/v1/aliases/policy-race')).json.revision as number;

    // The deployer re-states the policy, expecting the revision the move B → A is about to write.
    afterRead = async () => {
      expect((await put({ manifestId: A, expectedRevision: at })).status).toBe(200);
    };
    const policy = await call(h, 'PUT', '/v1/aliases/policy-race/policy', {
      body: { quarantine: true, reason: 'audit', expectedRevision: at + 1 },
    });

    const alias = (await call(h, 'GET', '/v1/aliases/policy-race')).json;
    expect(alias.manifestId, JSON.stringify(policy.json)).toBe(A);
  });
});
