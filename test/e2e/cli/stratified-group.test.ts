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

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'splitvault-cli-sg-'));
  await buildCli();
  server = await startServer(join(work, 'data'));
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('splitvault CLI with --strategy stratified-group', () => {
  it('freezes customers whole by label and shows each class share', async () => {
    const args = ['--strategy', 'stratified-group', '--stratify-by', 'label', '--group-by', 'customer'];
    const frozen = await cli('freeze', SAMPLE, ...args, '--seed', '7', '--json');
    expect(frozen.code).toBe(0);
    const { manifest } = JSON.parse(frozen.stdout) as { manifest: { id: string; classShares: unknown[] } };
    expect(manifest.classShares.length).toBeGreaterThan(1);
    const shown = await cli('show', manifest.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('stratified-group by label within groups of customer, seed 7');
    expect(shown.stdout).toContain('class shares:');
    expect(shown.stdout).toMatch(/scat\s+0\.\d{4}/);
  });
});
