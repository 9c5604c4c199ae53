import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type CliRun, runCli, type Server, startServer } from './harness.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let server: Server;
let work: string;

interface FreezeBody {
  manifestId: string;
  dataset: { sha256: string; uploaded: number; files: { path: string }[] };
  manifest: { splits: unknown; dataset: { files: { sha256: string }[] } };
}

async function cliJson(...args: string[]): Promise<{ run: CliRun; body: FreezeBody }> {
  const run = await runCli([...args, '--json'], { cwd: work, env: { SPLITVAULT_URL: server.url } });
  return { run, body: (run.stdout ? JSON.parse(run.stdout) : {}) as FreezeBody };
}

const HEADER = 'id,label,value';
const LINES = Array.from({ length: 120 }, (_, i) => `${i},${i % 4 === 0 ? 'a' : 'b'},${(i * 13) % 97}`);
const SPEC = ['--strategy', 'stratified', '--stratify-by', 'label', '--seed', '5'];

/** Writes rows [from, to) as a CSV with the header. */
async function part(path: string, from: number, to: number): Promise<string> {
  const text = `${HEADER}\n${LINES.slice(from, to).join('\n')}\n`;
  await writeFile(join(work, path), text);
  return text;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'splitvault-many-'));
  await buildCli();
  server = await startServer(join(work, 'data'));
  await mkdir(join(work, 'shards'));
  // part-10 sorts before part-9 by path bytes, so it holds the first rows.
  await part('shards/part-10.csv', 0, 40);
  await part('shards/part-9.csv', 40, 41);
  await part('shards/part-a.csv', 41, 120);
  await writeFile(join(work, 'shards/.DS_Store'), 'not data');
  await writeFile(join(work, 'whole.csv'), `${HEADER}\n${LINES.join('\n')}\n`);
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('splitvault freeze with many files', () => {
  it('freezes a directory as one dataset of its files sorted by path, with the splits of the whole file (exit 0)', async () => {
    const { run, body } = await cliJson('freeze', 'shards', ...SPEC);
    expect(run.code).toBe(0);
    expect(body.dataset.files.map((file) => file.path)).toEqual([
      'shards/part-10.csv',
      'shards/part-9.csv',
      'shards/part-a.csv',
    ]);
    expect(body.dataset.uploaded).toBe(3);
    expect(body.manifest.dataset.files).toHaveLength(3);
    const whole = await cliJson('freeze', 'whole.csv', ...SPEC);
    expect(whole.run.code).toBe(0);
    expect(body.manifest.splits).toEqual(whole.body.manifest.splits);
  });

  it('uploads nothing when run again, and the same files by glob give the same dataset and manifest', async () => {
    const first = await cliJson('freeze', 'shards', ...SPEC);
    const again = await cliJson('freeze', 'shards/part-*.csv', ...SPEC);
    expect(again.run.code).toBe(0);
    expect(again.body.dataset.uploaded).toBe(0);
    expect(again.body.dataset.sha256).toBe(first.body.dataset.sha256);
    expect(again.body.manifestId).toBe(first.body.manifestId);
  });

  it('uploads only the files the store lacks, so an interrupted run resumes where it stopped', async () => {
    await mkdir(join(work, 'resume'));
    const texts = [
      await part('resume/a.csv', 0, 30),
      await part('resume/b.csv', 30, 60),
      await part('resume/c.csv', 60, 61),
    ];
    // An earlier run that stopped after storing b.csv: that file alone is in the store.
    expect((await cliJson('freeze', 'resume/b.csv', ...SPEC)).run.code).toBe(0);
    const { run, body } = await cliJson('freeze', 'resume/c.csv', 'resume/a.csv', 'resume/b.csv', ...SPEC);
    expect(run.code).toBe(0);
    expect(body.dataset.uploaded).toBe(2);
    expect(body.manifest.dataset.files.map((file) => file.sha256)).toEqual(texts.map(sha256));
  });

  it('refuses a glob that matches no file with exit 2 and CLI.NO_FILES', async () => {
    const { run } = await cliJson('freeze', 'nowhere/*.parquet', ...SPEC);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CLI.NO_FILES');
  });

  it('fails parts whose headers differ with exit 1 and DATASET.SCHEMA_MISMATCH naming the file', async () => {
    await mkdir(join(work, 'mixed'));
    await writeFile(join(work, 'mixed/1.csv'), 'id,label\n1,a\n2,b\n');
    await writeFile(join(work, 'mixed/2.csv'), 'id,name\n3,c\n');
    const { run } = await cliJson('freeze', 'mixed', '--strategy', 'random', '--seed', '1');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DATASET.SCHEMA_MISMATCH');
    expect(run.stderr).toContain('mixed/2.csv');
  });
});
