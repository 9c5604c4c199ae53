import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type CliRun, ROOT, runCli, type Server, startServer } from './harness.js';

const SAMPLE = join(ROOT, 'examples/sample.csv');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let server: Server;
let work: string;
let dataDir: string;
const ids: { first?: string; second?: string } = {};

async function cli(...args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: work, env: { SPLITVAULT_URL: server.url } });
}

/** Runs with --json and checks the contract: exactly one JSON document on stdout. */
async function cliJson<T = Record<string, unknown>>(...args: string[]): Promise<{ run: CliRun; body: T }> {
  const run = await cli(...args, '--json');
  return { run, body: JSON.parse(run.stdout) as T };
}

async function findFile(dir: string, prefix: string): Promise<string | undefined> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.startsWith(prefix)) return join(entry.parentPath, entry.name);
  }
  return undefined;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'splitvault-cli-'));
  dataDir = join(work, 'data');
  await buildCli();
  server = await startServer(dataDir);
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('splitvault CLI against a running embedded server', () => {
  it('prints the environment fingerprint with the lock files of the current directory', async () => {
    const project = join(work, 'project');
    await mkdir(project);
    await writeFile(join(project, 'uv.lock'), 'version = 1\n');
    await writeFile(join(project, 'requirements-dev.txt'), 'pyarrow==21.0.0\n');
    await writeFile(join(project, 'notes.txt'), 'not a lock file\n');
    const run = await runCli(['env', '--json'], { cwd: project });
    expect(run.code).toBe(0);
    const env = JSON.parse(run.stdout);
    expect(env.node).toBe(process.version);
    expect(env.arch).toBe(process.arch);
    expect(env.lockfiles).toEqual({
      'requirements-dev.txt': sha256(Buffer.from('pyarrow==21.0.0\n')),
      'uv.lock': sha256(Buffer.from('version = 1\n')),
    });
  });

  it('freezes the sample dataset, uploading it once, and prints the manifest id and split table', async () => {
    const run = await cli(
      'freeze',
      SAMPLE,
      '--strategy',
      'stratified',
      '--stratify-by',
      'label',
      '--seed',
      '7',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/uploaded/);
    const id = /manifest\s+([0-9a-f]{64})/.exec(run.stdout)?.[1];
    expect(id).toBeDefined();
    ids.first = id;
    const rows = [...run.stdout.matchAll(/^(train|validation|test)\s+(\d+)\s+(\d+)/gm)].map((m) =>
      Number(m[2]),
    );
    expect(rows).toEqual([240, 30, 30]);
  });

  it('re-freezes the same file and spec without uploading and gets the same manifest id', async () => {
    const { run, body } = await cliJson<{
      manifestId: string;
      dataset: { uploaded: boolean; bytes: number };
    }>('freeze', SAMPLE, '--strategy', 'stratified', '--stratify-by', 'label', '--seed', '7');
    expect(run.code).toBe(0);
    expect(body.manifestId).toBe(ids.first);
    expect(body.dataset).toMatchObject({ uploaded: false, bytes: (await readFile(SAMPLE)).length });
  });

  it('freezes a new version with provenance naming the first manifest as its parent', async () => {
    const { run, body } = await cliJson<{ manifestId: string }>(
      'freeze',
      SAMPLE,
      '--strategy',
      'hash',
      '--key',
      'customer',
      '--seed',
      '11',
      '--ratios',
      '0.7,0.15,0.15',
      '--parent',
      ids.first!,
      '--source',
      'examples/sample.csv',
      '--version',
      'v2',
      '--note',
      'hash by customer',
    );
    expect(run.code).toBe(0);
    expect(body.manifestId).not.toBe(ids.first);
    ids.second = body.manifestId;
  });

  it('lists the frozen splits newest first with their version label and dataset name, and filters them', async () => {
    const all = await cliJson<{ items: { id: string; version?: string; dataset: { name?: string } }[] }>(
      'ls',
    );
    expect(all.run.code).toBe(0);
    expect(all.body.items.map((s) => s.id)).toEqual([ids.second, ids.first]);
    expect(all.body.items[0]).toMatchObject({ version: 'v2', dataset: { name: 'sample.csv' } });
    const labelled = await cliJson<{ items: { id: string }[] }>('ls', 'splits', '--version', 'v2');
    expect(labelled.body.items.map((s) => s.id)).toEqual([ids.second]);
    const text = await cli('ls', 'splits');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${ids.second}\\s+v2\\s+sample\\.csv\\s+hash`));
  });

  it('shows a manifest by an 8-character prefix and by dataset name@label, with its label and dataset name', async () => {
    const short = await cliJson<{ manifest: { id: string }; versions: string[]; datasetName: string }>(
      'show',
      ids.second!.slice(0, 8),
    );
    expect(short.run.code).toBe(0);
    expect(short.body).toMatchObject({
      manifest: { id: ids.second },
      versions: ['v2'],
      datasetName: 'sample.csv',
    });
    const labelled = await cli('show', 'sample.csv@v2');
    expect(labelled.code).toBe(0);
    expect(labelled.stdout).toContain(ids.second);
    expect(labelled.stdout).toMatch(/^version:\s+v2$/m);
    expect(labelled.stdout).toMatch(/^dataset:\s+sample\.csv [0-9a-f]{64}/m);
    const lineage = await cli('lineage', ids.first!.slice(0, 10));
    expect(lineage.code).toBe(0);
    expect(lineage.stdout).toMatch(new RegExp(`descendant\\s+1\\s+${ids.second}\\s+v2`));
    const missing = await cli('show', 'sample.csv@v9');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no manifest of dataset "sample.csv" has version label "v9"');
    const unknown = await cli('show', '00000000');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('SPLIT.NOT_FOUND');
  });

  it('shows a split file by the 8-character prefix of its hash and downloads it checked (exit 0)', async () => {
    const { body: view } = await cliJson<{
      manifest: { splits: { test: { sha256: string; bytes: number } } };
    }>('show', ids.second!);
    const { sha256: hash, bytes } = view.manifest.splits.test;
    const shown = await cliJson<{ sha256: string; bytes: number }>('artifact', hash.slice(0, 8));
    expect(shown.run.code).toBe(0);
    expect(shown.body).toEqual({ sha256: hash, bytes });
    const text = await cli('artifact', hash.slice(0, 8));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^sha256:\\s+${hash}$`, 'm'));
    const got = await cli('artifact', hash.slice(0, 8), '-o', 'by-prefix.arrow');
    expect(got.code).toBe(0);
    expect(sha256(await readFile(join(work, 'by-prefix.arrow')))).toBe(hash);
    const full = await cliJson<{ sha256: string }>('artifact', hash);
    expect(full.run.code).toBe(0);
    expect(full.body.sha256).toBe(hash);
  });

  it('refuses an artifact prefix several files share or none has with exit 1, and one too short with exit 2', async () => {
    // Two records naming split files whose hashes share 8 characters, written as the store would.
    const { body } = await cliJson<{ manifest: { splits: Record<string, object> } }>('show', ids.first!);
    const db = new BetterSqlite3(join(dataDir, 'lineage.sqlite'));
    const twins = ['1', '2'].map((digit) => `badcafe0${digit.repeat(56)}`);
    for (const [i, hash] of twins.entries()) {
      const twin = {
        ...body.manifest,
        id: `5eed0f00${String(i + 1).repeat(56)}`,
        splits: { ...body.manifest.splits, test: { sha256: hash, bytes: 1, rows: 1 } },
      };
      db.prepare('INSERT INTO manifests (id, dataset_sha256, data) VALUES (?, ?, ?)').run(
        twin.id,
        'f'.repeat(64),
        JSON.stringify(twin),
      );
    }
    db.close();
    const ambiguous = await cli('artifact', 'badcafe0');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('ID.AMBIGUOUS');
    for (const hash of twins) expect(ambiguous.stderr).toContain(hash);
    const unknown = await cliJson<{ error: { code: string } }>('artifact', '00000000');
    expect(unknown.run.code).toBe(1);
    expect(unknown.body.error.code).toBe('BLOB.NOT_FOUND');
    const short = await cliJson<{ error: { code: string } }>('artifact', 'badcafe');
    expect(short.run.code).toBe(2);
    expect(short.body.error.code).toBe('CLI.BAD_HASH');
    expect(short.run.stderr).toContain('8 to 64 lower-case hex characters');
  });

  it('refuses to create an alias whose name reads as a short id (exit 1)', async () => {
    const run = await cli('alias', 'set', 'cafebabe', ids.first!, '--reason', 'looks like an id');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ALIAS.LOOKS_LIKE_ID');
  });

  it('lists datasets by name prefix and refuses a filter the listing does not have with exit 2', async () => {
    const { run, body } = await cliJson<{ items: { name: string }[] }>('ls', 'datasets', '--prefix', 'sam');
    expect(run.code).toBe(0);
    expect(body.items.map((d) => d.name)).toEqual(['sample.csv']);
    const stray = await cli('ls', 'datasets', '--version', 'v2');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('ls datasets has no --version filter');
    const unknown = await cli('ls', 'manifests');
    expect(unknown.code).toBe(2);
  });

  it('freezes a second dataset and lists both datasets newest first with their names', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 3 === 0 ? 'rain' : 'sun'}`);
    await writeFile(join(work, 'weather.csv'), `day,sky\n${rows.join('\n')}\n`);
    const frozen = await cliJson<{ manifestId: string }>(
      'freeze',
      'weather.csv',
      '--strategy',
      'random',
      '--seed',
      '3',
    );
    expect(frozen.run.code).toBe(0);
    const { run, body } = await cliJson<{ items: { name: string }[] }>('ls', 'datasets');
    expect(run.code).toBe(0);
    expect(body.items.map((d) => d.name)).toEqual(['weather.csv', 'sample.csv']);
  });

  it('refuses a bad spec with a usage error (exit 2) naming the missing column', async () => {
    const run = await cli('freeze', SAMPLE, '--strategy', 'stratified', '--seed', '7');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('stratifyBy');
  });

  it('refuses ratios that are not three numbers with exit 2', async () => {
    const { run, body } = await cliJson<{ error: { code: string } }>(
      'freeze',
      SAMPLE,
      '--strategy',
      'random',
      '--seed',
      '1',
      '--ratios',
      '0.8,abc',
    );
    expect(run.code).toBe(2);
    expect(body.error.code).toBe('CLI.BAD_RATIOS');
  });

  it('downloads one split and the file hashes to the manifest value', async () => {
    const { body: view } = await cliJson<{ manifest: { splits: Record<string, { sha256: string }> } }>(
      'show',
      ids.first!,
    );
    const { run, body } = await cliJson<{ files: { path: string; sha256: string }[] }>(
      'get',
      ids.first!,
      'validation',
      '-o',
      'val.arrow',
    );
    expect(run.code).toBe(0);
    expect(body.files[0]?.path).toBe(join(work, 'val.arrow'));
    expect(sha256(await readFile(join(work, 'val.arrow')))).toBe(view.manifest.splits.validation?.sha256);
  });

  it('downloads all three splits into a directory with --all', async () => {
    await mkdir(join(work, 'all'));
    const run = await cli('get', ids.second!, '--all', '-o', 'all');
    expect(run.code).toBe(0);
    expect((await readdir(join(work, 'all'))).sort()).toEqual([
      'test.arrow',
      'train.arrow',
      'validation.arrow',
    ]);
  });

  it('shows the manifest with freeze events that carry the environment fingerprint', async () => {
    const { run, body } = await cliJson<{
      manifest: { id: string };
      freezeEvents: { environment?: { client?: string } }[];
    }>('show', ids.first!);
    expect(run.code).toBe(0);
    expect(body.manifest.id).toBe(ids.first);
    expect(body.freezeEvents).toHaveLength(2);
    expect(body.freezeEvents.map((e) => e.environment?.client)).toEqual(['splitvault-cli', 'splitvault-cli']);
  });

  it('traces lineage from the new version back to its parent', async () => {
    const { run, body } = await cliJson<{ ancestors: { id: string }[] }>('lineage', ids.second!);
    expect(run.code).toBe(0);
    expect(body.ancestors.map((a) => a.id)).toContain(ids.first);
    const text = await cli('lineage', ids.first!);
    expect(text.stdout).toContain(ids.second);
  });

  it('verifies that a manifest reproduces and exits 0', async () => {
    const { run, body } = await cliJson<{ ok: boolean; reproducible: boolean; failures: unknown[] }>(
      'verify',
      ids.first!,
    );
    expect(run.code).toBe(0);
    expect(body).toMatchObject({ ok: true, reproducible: true, failures: [] });
  });

  it('follows the verify job under --json with one stderr line per poll naming its stage', async () => {
    const { run, body } = await cliJson<{ ok: boolean }>('verify', ids.first!);
    expect(run.code).toBe(0);
    expect(body.ok).toBe(true);
    const polls = run.stderr
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { state: string; progress?: { stage: string; done: number; total: number } },
      );
    expect(polls.at(-1)).toMatchObject({
      state: 'succeeded',
      progress: { stage: 'record', done: 1, total: 1 },
    });
  });

  it('sets prod, moves it to the new version, and refuses a stale --expect-revision with exit 1', async () => {
    const set = await cliJson<{ revision: number }>(
      'alias',
      'set',
      'prod',
      ids.first!,
      '--reason',
      'first release',
    );
    expect(set.body.revision).toBe(1);
    const moved = await cliJson<{ revision: number; manifestId: string }>(
      'alias',
      'set',
      'prod',
      ids.second!,
      '--reason',
      'v2 by customer',
      '--expect-revision',
      '1',
    );
    expect(moved.body).toMatchObject({ revision: 2, manifestId: ids.second });
    const stale = await cli('alias', 'set', 'prod', ids.first!, '--reason', 'late', '--expect-revision', '1');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('ALIAS.REVISION_CONFLICT');
    expect((await cliJson<{ revision: number }>('alias', 'show', 'prod')).body.revision).toBe(2);
  });

  it('lists aliases with ls aliases as alias list does', async () => {
    const { run, body } = await cliJson<{ items: { name: string }[] }>('ls', 'aliases');
    expect(run.code).toBe(0);
    expect(body.items.map((a) => a.name)).toContain('prod');
  });

  it('lists aliases and shows the history, including the target in force at a past time', async () => {
    const list = await cliJson<{ items: { name: string }[] }>('alias', 'list');
    expect(list.body.items.map((a) => a.name)).toEqual(['prod']);
    const history = await cliJson<{ items: { revision: number; at: string; manifestId: string }[] }>(
      'alias',
      'history',
      'prod',
    );
    expect(history.body.items.map((m) => m.revision)).toEqual([2, 1]);
    const firstAt = history.body.items[1]!.at;
    const then = await cliJson<{ items: { manifestId: string }[] }>(
      'alias',
      'history',
      'prod',
      '--at',
      firstAt,
    );
    expect(then.body.items[0]?.manifestId).toBe(ids.first);
  });

  it('downloads a split through the alias', async () => {
    const run = await cli('get', 'prod', 'test', '-o', 'prod-test.arrow');
    expect(run.code).toBe(0);
    expect(await readFile(join(work, 'prod-test.arrow'))).toEqual(
      await readFile(join(work, 'all/test.arrow')),
    );
  });

  it('rolls prod back to the previous manifest as a new revision', async () => {
    const { run, body } = await cliJson<{ revision: number; manifestId: string }>(
      'rollback',
      'prod',
      '--reason',
      'v2 leaks customers across splits',
    );
    expect(run.code).toBe(0);
    expect(body).toMatchObject({ revision: 3, manifestId: ids.first });
  });

  it('filters the audit log by action', async () => {
    const { run, body } = await cliJson<{ items: { action: string; reason?: string }[] }>(
      'audit',
      '--action',
      'alias.set',
      '--limit',
      '10',
    );
    expect(run.code).toBe(0);
    expect(body.items.map((e) => e.reason)).toEqual(['v2 by customer', 'first release']);
  });

  it('reports an unknown manifest as a failure (exit 1) with the problem title and detail', async () => {
    const run = await cli('show', 'f'.repeat(64));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SPLIT.NOT_FOUND');
  });

  it('refuses a download whose bytes were altered in storage and leaves no file behind', async () => {
    const { body } = await cliJson<{ manifest: { splits: { train: { sha256: string } } } }>(
      'show',
      ids.first!,
    );
    const stored = await findFile(dataDir, body.manifest.splits.train.sha256);
    expect(stored).toBeDefined();
    const bytes = await readFile(stored!);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    await chmod(stored!, 0o644);
    await writeFile(stored!, bytes);
    const run = await cli('get', ids.first!, 'train', '-o', 'tampered.arrow');
    expect(run.code).toBe(1);
    // The embedded blob route streams stored bytes as they are: the CLI's own hash check must catch it.
    expect(run.stderr).toContain('CLI.CHECKSUM_MISMATCH');
    const left = await readdir(work);
    expect(left.filter((name) => name.startsWith('tampered'))).toEqual([]);
  });

  it('fails verify with exit 1 naming the damaged artifact even though the split still reproduces', async () => {
    // The train artifact of ids.first was altered in storage by the test above.
    const text = await cli('verify', ids.first!);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`reproducible: ${ids.first}`);
    expect(text.stdout).toContain('storage: DAMAGED (train artifact damaged)');
    expect(text.stdout).toContain(`FAILED: ${ids.first}`);
    const { run, body } = await cliJson<{
      ok: boolean;
      reproducible: boolean;
      failures: { reason: string }[];
    }>('verify', ids.first!);
    expect(run.code).toBe(1);
    expect(body).toMatchObject({
      ok: false,
      reproducible: true,
      failures: [{ reason: 'artifact-damaged', split: 'train' }],
    });
  });

  it('prints reasons holding terminal escapes as visible text in alias history and audit, and exactly under --json', async () => {
    const reason = 'ok\u001b]0;pwned\u0007\u001b[2J\r\u001b[32mapproved\u001b[0m\u009b1m';
    const set = await cli('alias', 'set', 'escapes', ids.first!, '--reason', reason);
    expect(set.code).toBe(0);
    const shown = 'ok\\u001b]0;pwned\\u0007\\u001b[2J\\r\\u001b[32mapproved\\u001b[0m\\u009b1m';
    for (const args of [
      ['alias', 'history', 'escapes'],
      ['audit', '--target', 'alias:escapes'],
    ]) {
      const run = await cli(...args);
      expect(run.code).toBe(0);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the escapes must not reach the terminal
      expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(run.stdout).toContain(shown);
    }
    const history = await cliJson<{ items: { reason: string }[] }>('alias', 'history', 'escapes');
    expect(history.body.items.map((m) => m.reason)).toEqual([reason]);
    const audit = await cliJson<{ items: { reason: string }[] }>('audit', '--target', 'alias:escapes');
    expect(audit.body.items.map((e) => e.reason)).toEqual([reason]);
  });
});
