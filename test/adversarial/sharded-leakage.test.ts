import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch } from '../../functions/adapters/local/fs-scratch.js';
import { call } from '../reliability/support/call.js';
import { createHarness, type Harness } from '../reliability/support/harness.js';
import { csv, freezeAnswer, upload } from '../reliability/support/seed.js';

/**
 * §8.4: "Every freeze computes … a leakage report, unless its spec says dedupe: none", and the
 * leakage guard (membership proofs, test quarantine) reads only what a freeze stored. A freeze
 * past the worker memory budget runs in shards and stores no report and no identity sets, and
 * the spec says nothing of it: the same manifest id as a one-process freeze, without its
 * guard. So the large datasets, where a leak is least visible by eye, are the ones left
 * unguarded: every quarantined move to them is ALIAS.LEAK_UNCHECKED.
 */

const ratios = { train: 0.7, validation: 0.15, test: 0.15 };

describe('a freeze that runs in shards', () => {
  let h: Harness;
  let scratchRoot: string;
  let scratch: Awaited<ReturnType<typeof openScratch>>;
  beforeAll(async () => {
    scratchRoot = await mkdtemp(join(tmpdir(), 'splitvault-scratch-'));
    scratch = await openScratch(scratchRoot);
    h = await createHarness('embedded', { sharding: { workerMemory: 256 * 1024, scratch } });
  });
  afterAll(async () => {
    await h?.close();
    await scratch?.dispose();
    await rm(scratchRoot, { recursive: true, force: true });
  });

  it('records the leakage report and identity sets a one-process freeze records', async () => {
    const data = csv(20_000, 5);
    // Past a quarter of the budget, so the freeze takes the sharded path.
    expect(data.bytes.byteLength * 4).toBeGreaterThan(256 * 1024);
    await upload(h, data);
    const answer = await freezeAnswer(h, data.sha256, { strategy: 'random', seed: 3, ratios });
    expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(300);
    const id = answer.json.manifest.id as string;
    const report = await call(h, 'GET', `/v1/splits/${id}/leakage`);
    expect(report.json?.code).toBeUndefined();
    expect(report.status).toBe(200);
    const identities = await call(h, 'GET', `/v1/splits/${id}/test/identities`);
    expect(identities.status).toBe(200);
  });
});
