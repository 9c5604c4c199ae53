import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edit, lcg, makeRows, toCsv } from '../../core/leakage/sticky-support.js';
import { buildCli, type CliRun, runCli, type Server, startServer } from './harness.js';

let server: Server;
let work: string;

async function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: work, env: { SPLITVAULT_URL: server.url } });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'splitvault-cli-sticky-'));
  await buildCli();
  server = await startServer(join(work, 'data'));
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('splitvault CLI with --sticky-to', () => {
  it('re-freezes a grown dataset sticky to an alias by a key column and shows the drift report', async () => {
    const rand = lcg(17);
    const before = makeRows(200, 0, 20, rand);
    await writeFile(join(work, 'v1.csv'), toCsv(before));
    await writeFile(join(work, 'v2.csv'), toCsv(edit(before, 0.2, 0.05, rand, 3)));
    const args = ['--strategy', 'group', '--group-by', 'g', '--seed', '7'];
    const first = await cli('freeze', 'v1.csv', ...args, '--json');
    expect(first.code).toBe(0);
    const parent = (JSON.parse(first.stdout) as { manifestId: string }).manifestId;
    expect((await cli('alias', 'set', 'sticky-cli', parent, '--reason', 'release')).code).toBe(0);
    const second = await cli('freeze', 'v2.csv', ...args, '--sticky-to', 'sticky-cli', '--sticky-by', 'g');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`sticky to ${parent} by column "g"`);
    const id = /manifest\s+([0-9a-f]{64})/.exec(second.stdout)![1]!;
    const shown = await cli('show', id);
    expect(shown.stdout).toMatch(/train\s+\d+\s+\d+\s+\d+\s+0\.\d{4}\s+0\.8000\s+[+-]0\.\d{4}/);
    const alone = await cli('freeze', 'v2.csv', ...args, '--sticky-by', 'g');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--sticky-by needs --sticky-to');
  });
});
