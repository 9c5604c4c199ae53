import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type CliRun, ROOT, runCli, type Server, startServer } from './harness.js';

const SAMPLE = join(ROOT, 'examples/sample.csv');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let server: Server;
let work: string;
let manifestId: string;

async function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: work, env: { SPLITVAULT_URL: server.url } });
}

/** How many datasets the server holds: proof that a refused freeze sent nothing. */
async function datasetCount(): Promise<number> {
  const run = await cli('ls', 'datasets', '--json');
  return (JSON.parse(run.stdout) as { items: unknown[] }).items.length;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'splitvault-cli-behaviour-'));
  await buildCli();
  server = await startServer(join(work, 'data'));
  const run = await cli('freeze', SAMPLE, '--strategy', 'random', '--seed', '3', '--json');
  manifestId = (JSON.parse(run.stdout) as { manifestId: string }).manifestId;
  await cli('alias', 'set', 'prod', manifestId, '--reason', 'first release');
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the CLI never surprises a user', () => {
  it('refuses to freeze a path that does not exist with exit 2 and "file not found", sending nothing', async () => {
    const before = await datasetCount();
    const run = await cli('freeze', 'no-such.csv', '--strategy', 'random', '--seed', '1');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: file not found: no-such.csv [CLI.FILE_NOT_FOUND]\n');
    expect(run.stderr).not.toMatch(/ENOENT/);
    expect(await datasetCount()).toBe(before);
  });

  it('refuses to freeze an empty directory with exit 2 and "no files under directory"', async () => {
    // A directory with files is a many-file dataset; an empty one has nothing to freeze.
    await mkdir(join(work, 'a-directory'));
    const run = await cli('freeze', 'a-directory', '--strategy', 'random', '--seed', '1');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: no files under directory a-directory [CLI.NO_FILES]\n');
    expect(run.stderr).not.toMatch(/EISDIR/);
  });

  it('refuses a file it cannot read with exit 2 and "cannot read file", sending nothing', async () => {
    // A symlink to itself: stat fails with ELOOP even for root, for whom no mode bits deny a read.
    await symlink('loop.csv', join(work, 'loop.csv'));
    const before = await datasetCount();
    const run = await cli('freeze', 'loop.csv', '--strategy', 'random', '--seed', '1');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: cannot read file: loop\.csv\n/);
    expect(run.stderr).toContain('CLI.FILE_UNREADABLE');
    expect(await datasetCount()).toBe(before);
  });

  it('refuses an empty file with DATASET.EMPTY and exit 1, sending nothing', async () => {
    await writeFile(join(work, 'empty.csv'), '');
    const before = await datasetCount();
    const { code, stdout } = await cli(
      'freeze',
      'empty.csv',
      '--strategy',
      'random',
      '--seed',
      '1',
      '--json',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toMatchObject({
      code: 'DATASET.EMPTY',
      title: 'the dataset is empty (0 bytes)',
      exitCode: 1,
    });
    expect(await datasetCount()).toBe(before);
  });

  it('creates the -o directory of get --all when it does not exist', async () => {
    const run = await cli('get', manifestId, '--all', '-o', 'new/nested');
    expect(run.code).toBe(0);
    expect((await readdir(join(work, 'new/nested'))).sort()).toEqual([
      'test.arrow',
      'train.arrow',
      'validation.arrow',
    ]);
  });

  it('streams a verified split to stdout with -o - and prints its summary on stderr', async () => {
    const show = await cli('show', manifestId, '--json');
    const expected = (JSON.parse(show.stdout) as { manifest: { splits: { train: { sha256: string } } } })
      .manifest.splits.train.sha256;
    const bytes = await new Promise<{ code: number | null; out: Buffer; err: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'dist/cli/splitvault.mjs'), 'get', manifestId, 'train', '-o', '-'],
        {
          cwd: work,
          env: { ...process.env, SPLITVAULT_URL: server.url },
        },
      );
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err }));
    });
    expect(bytes.code).toBe(0);
    expect(sha256(bytes.out)).toBe(expected);
    expect(bytes.err).toContain('verified');
    expect(await readdir(work)).not.toContain('-');
  });

  it('filters the audit log by a plain alias name and a short action name as by the stored forms', async () => {
    const typed = await cli('audit', '--target', 'prod', '--action', 'set', '--json');
    const stored = await cli('audit', '--target', 'alias:prod', '--action', 'alias.set', '--json');
    expect(typed.code).toBe(0);
    expect(stored.code).toBe(0);
    const items = (JSON.parse(typed.stdout) as { items: { target: string; action: string }[] }).items;
    expect(items).toEqual([expect.objectContaining({ target: 'alias:prod', action: 'alias.set' })]);
    expect(JSON.parse(typed.stdout)).toEqual(JSON.parse(stored.stdout));
  });

  it('filters the audit log by action freeze and a short manifest id', async () => {
    const run = await cli('audit', '--action', 'freeze', '--target', manifestId.slice(0, 8), '--json');
    expect(run.code).toBe(0);
    const items = (JSON.parse(run.stdout) as { items: { target: string; action: string }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.action === 'split.freeze' && e.target === `split:${manifestId}`)).toBe(true);
  });

  it('refuses an unknown short audit action with exit 2 listing the known ones', async () => {
    const run = await cli('audit', '--action', 'frozen');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('freeze');
  });

  it('shows the accepted --target and --action forms in audit --help (exit 0)', async () => {
    const run = await cli('audit', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('freeze (split.freeze)');
    expect(run.stdout).toContain('prod = alias:prod');
  });

  it('marks the required freeze options and shows examples in freeze --help (exit 0)', async () => {
    const run = await cli('freeze', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--strategy <name>\s+\(required\)/);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('splitvault freeze data.csv --strategy random --seed 42');
  });

  it('freezes a JSON array file with --format json and lists json in freeze --help', async () => {
    const file = join(work, 'cars.json');
    const cars = Array.from({ length: 20 }, (_, i) => ({
      id: i,
      make: i % 2 ? 'vw' : 'fiat',
      tags: ['a', i],
    }));
    await writeFile(
      file,
      JSON.stringify(
        cars.map(({ tags: _t, ...flat }) => flat),
        null,
        2,
      ),
    );
    const run = await cli(
      'freeze',
      file,
      '--strategy',
      'random',
      '--seed',
      '3',
      '--format',
      'json',
      '--json',
    );
    expect(run.code).toBe(0);
    expect(
      (JSON.parse(run.stdout) as { manifest: { dataset: { format: string } } }).manifest.dataset.format,
    ).toBe('json');
    const help = await cli('freeze', '--help');
    expect(help.stdout).toMatch(/--format <format>\s+csv, jsonl, json, parquet, arrow or\s+arrow-stream/);
  });

  it('prints help and exits 2 when run with no arguments', async () => {
    const run = await runCli([], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: splitvault');
    expect(run.stderr).toContain('freeze');
  });

  it('says the port is in use and exits 1 without a stack trace when a second server takes the same port', async () => {
    const port = new URL(server.url).port;
    const child = spawn(process.execPath, ['--import', 'tsx', 'functions/handlers/node.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: port, HOST: '127.0.0.1', SPLITVAULT_DATA_DIR: join(work, 'data2') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toBe(`port ${port} is in use; set PORT to a free port (PORT=0 picks one)\n`);
  });
});
