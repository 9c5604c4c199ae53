import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type CliRun, ROOT, runCli, type Server, startServer } from './harness.js';

const SAMPLE = join(ROOT, 'examples/sample.csv');
let server: Server;
let work: string;

async function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: work, env: { SPLITVAULT_URL: server.url } });
}

async function freeze(seed: string): Promise<string> {
  const run = await cli('freeze', SAMPLE, '--strategy', 'random', '--seed', seed, '--json');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { manifest: { id: string } }).manifest.id;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'splitvault-cli-quarantine-'));
  await buildCli();
  server = await startServer(join(work, 'data'));
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

// Two random splits of one file: each trains on rows the other tests on. Until freezes store
// identities the server can't check and says LEAK_UNCHECKED; after, TEST_LEAK. Both refuse.
const REFUSED = /ALIAS\.(TEST_LEAK|LEAK_UNCHECKED)/;

describe('splitvault alias with test quarantine', () => {
  it('sets a quarantined alias, refuses to move or roll it back unchecked, and moves it with --allow-test-leak', async () => {
    const [first, second] = [await freeze('1'), await freeze('2')];
    const set = await cli('alias', 'set', 'qa', first, '--reason', 'release', '--quarantine', '--json');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ revision: 1, quarantine: true });
    expect((await cli('alias', 'show', 'qa')).stdout).toMatch(/quarantine:\s+on/);

    const refused = await cli('alias', 'set', 'qa', second, '--reason', 'reshuffle');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(REFUSED);
    const allowed = await cli('alias', 'set', 'qa', second, '--reason', 'accepted', '--allow-test-leak');
    expect(allowed.code).toBe(0);

    const back = await cli('rollback', 'qa', '--reason', 'regression');
    expect(back.code).toBe(1);
    expect(back.stderr).toMatch(REFUSED);
    expect((await cli('rollback', 'qa', '--reason', 'regression', '--allow-test-leak')).code).toBe(0);
  });

  it('lifts quarantine with a reason, as an audited policy revision', async () => {
    const off = await cli('alias', 'quarantine', 'qa', 'off', '--reason', 'model retired');
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/quarantine:\s+off/);
    const audit = await cli('audit', '--target', 'alias:qa', '--action', 'alias.policy', '--json');
    expect(JSON.parse(audit.stdout).items[0]).toMatchObject({
      reason: 'model retired',
      details: { quarantine: false },
    });
    expect((await cli('alias', 'quarantine', 'qa', 'maybe', '--reason', 'x')).code).toBe(2);
  });
});
