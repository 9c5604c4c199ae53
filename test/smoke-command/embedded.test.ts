import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { type RunningServer, startServer } from '../../functions/handlers/node.js';
import { runCliInProcess } from './run-cli.js';
import { startTamperingFront } from './tampering-front.js';

const STEPS = [
  'health',
  'register',
  'upload',
  'freeze',
  'download',
  'lineage',
  'alias set',
  'alias move',
  'stale move',
  'rollback',
  'history ?at=',
  'verify',
  'audit',
  'unsigned refused',
];

interface SmokeJson {
  ok: boolean;
  runId: string;
  steps: { name: string; status: string; ms: number; detail?: string }[];
  leftBehind: { dataset: string; manifests: string[]; alias?: string };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'splitvault-smoke-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('splitvault smoke against the embedded server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'open') }));
  });
  afterAll(() => server.close());

  it('passes every step, one line each, and says what it left behind', async () => {
    const run = await runCliInProcess(['smoke', '--url', server.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^splitvault smoke against http:\/\/127\.0\.0\.1:\d+ \(run smoke-\d{8}t\d{6}z-[0-9a-f]{6}\)$/,
    );
    for (const [i, name] of STEPS.slice(0, -1).entries()) {
      expect(lines[i + 1]).toMatch(new RegExp(`^${name.replace('?', '\\?')} +ok +\\d+ ms`));
    }
    expect(lines[STEPS.length]).toMatch(/^unsigned refused +skipped +no --aws or --token/);
    expect(lines.at(-3)).toMatch(/^PASS: 13 steps in [\d.]+ s$/);
    expect(lines.at(-2)).toMatch(
      /^Left behind, all immutable or append-only: dataset [0-9a-f]{64}; manifests/,
    );
    expect(lines.at(-1)).toBe('Nothing that existed before this run was changed.');
  });

  it('prints one JSON document with --json, and a second run uploads bytes of its own', async () => {
    const first = JSON.parse(
      (await runCliInProcess(['smoke', '--url', server.url, '--json'])).stdout,
    ) as SmokeJson;
    const run = await runCliInProcess(['smoke', '--url', server.url, '--json']);
    expect(run.code).toBe(0);
    const second = JSON.parse(run.stdout) as SmokeJson;
    expect(second.ok).toBe(true);
    expect(second.steps.map((step) => step.name)).toEqual(STEPS);
    expect(second.steps.find((step) => step.name === 'register')?.status).toBe('ok');
    expect(second.leftBehind.dataset).not.toBe(first.leftBehind.dataset);
    expect(second.leftBehind).toMatchObject({
      alias: second.runId,
      manifests: [expect.any(String), expect.any(String)],
    });
  });
});

describe('splitvault smoke against an embedded server with tokens', () => {
  it('checks that a request without the token is refused', async () => {
    const tokensFile = join(dir, 'tokens.json');
    await writeFile(
      tokensFile,
      JSON.stringify({
        'smoke-test-token-0123456789': { actor: 'ci', roles: ['reader', 'writer', 'deployer'] },
      }),
    );
    const server = await startServer(
      loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'tokens'), SPLITVAULT_TOKENS_FILE: tokensFile }),
    );
    try {
      const run = await runCliInProcess([
        'smoke',
        '--url',
        server.url,
        '--token',
        'smoke-test-token-0123456789',
      ]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^unsigned refused +ok +\d+ ms {2}401$/m);
    } finally {
      await server.close();
    }
  });
});

describe('splitvault smoke against a deployment that serves tampered bytes', () => {
  it('fails at the download step with exit 1 and skips the steps after it', async () => {
    const front = await startTamperingFront();
    const server = await startServer(
      loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'tampered'), SPLITVAULT_PUBLIC_URL: front.url }),
    );
    front.target = server.url;
    try {
      const run = await runCliInProcess(['smoke', '--url', front.url]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^freeze +ok /m);
      expect(run.stdout).toMatch(
        /^download +FAIL +\d+ ms {2}train: downloaded bytes hash to [0-9a-f]{12}, manifest says [0-9a-f]{12}$/m,
      );
      expect(run.stdout).toMatch(/^lineage +skipped +an earlier step failed$/m);
      expect(run.stdout).toMatch(/^FAIL: download \(after [\d.]+ s\)$/m);
    } finally {
      await server.close();
      await front.close();
    }
  });
});

describe('splitvault smoke against nothing', () => {
  it('fails at the health step with exit 1 when no service answers', async () => {
    const front = await startTamperingFront();
    await front.close();
    const run = await runCliInProcess(['smoke', '--url', front.url, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as SmokeJson;
    expect(report.ok).toBe(false);
    expect(report.steps[0]).toMatchObject({ name: 'health', status: 'FAIL' });
    expect(report.steps.slice(1).every((step) => step.status === 'skipped')).toBe(true);
  });
});
