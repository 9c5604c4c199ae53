import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedCsv } from '../../fixtures/planted-duplicates.js';
import { buildCli, type CliRun, runCli, type Server, startServer } from './harness.js';

let server: Server;
let work: string;

async function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: work, env: { SPLITVAULT_URL: server.url } });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'splitvault-cli-leakage-'));
  await writeFile(join(work, 'planted.csv'), plantedCsv());
  await buildCli();
  server = await startServer(join(work, 'data'));
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('splitvault CLI and the leakage report', () => {
  it('shows a one-line leakage summary, the whole report with --json, and refuses with --dedupe refuse', async () => {
    const args = ['--strategy', 'random', '--seed', '7', '--ratios', '0.6,0.2,0.2'];
    const frozen = await cli('freeze', 'planted.csv', ...args, '--json');
    expect(frozen.code).toBe(0);
    const { manifest } = JSON.parse(frozen.stdout) as { manifest: { id: string } };
    const shown = await cli('show', manifest.id);
    expect(shown.stdout).toContain('train×test 3 (4+3 rows), validation×test 1 (1+1 rows)');
    const json = JSON.parse((await cli('show', manifest.id, '--json')).stdout);
    expect(json.leakage.pairs[1].examples.map((e: { rows: number[] }) => e.rows)).toEqual([
      [5, 7],
      [12, 19],
      [22, 3],
    ]);
    const refused = await cli('freeze', 'planted.csv', ...args, '--dedupe', 'refuse');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('SPEC.CROSS_SPLIT_DUPLICATES');
  });
});
