import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredLeakage } from '../../functions/adapters/common/stored-leakage.js';
import type { AliasRecord } from '../../schemas/records.js';
import { call, freezeSplit, uploadDataset } from './support/client.js';
import type { DatasetBytes } from './support/dataset.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

/**
 * A move reads an alias that is not quarantined, so it checks nothing; if it then swapped
 * against the body's expectedRevision, a policy change landing in between (quarantine on)
 * would let the move land on the now quarantined alias unchecked. The policy change is played
 * right after the move's read, so the interleaving is exact, not timed.
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

describe('a move racing the policy change that quarantines its alias', () => {
  let h: ApiHarness;
  /** Runs once, right after the next alias read, then is cleared. */
  let afterRead: (() => Promise<void>) | undefined;
  let A: string;
  let B: string;

  beforeAll(async () => {
    h = await embeddedHarness({
      leakage: (stores) => {
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
    // A: rows 1–10, test = row 10. B: rows 1–20, trains on row 10.
    const [a, b] = [timeDataset(1, 10), timeDataset(1, 20)];
    for (const data of [a, b]) await uploadDataset(h, data);
    A = await freezeSplit(h, a.sha256, TIME_SPEC);
    B = await freezeSplit(h, b.sha256, TIME_SPEC);
  });
  afterAll(async () => h?.close());

  it('refuses the move instead of landing it unchecked on the alias just quarantined', async () => {
    const path = '/v1/aliases/flip-race';
    const created = await call(h, 'PUT', path, { body: { manifestId: A, reason: 'release' } });
    expect(created.status).toBe(201);
    const at = created.json.revision as number;

    afterRead = async () => {
      const policy = await call(h, 'PUT', `${path}/policy`, {
        body: { quarantine: true, reason: 'freeze the test set', expectedRevision: at },
      });
      expect(policy.status).toBe(200);
    };
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
