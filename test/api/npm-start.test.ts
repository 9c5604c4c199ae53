import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';
import { http, uploadAndFreeze } from './support/http-flow.js';

/** Waits for the server's "listening" line and returns its URL. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before listening: ${out}`)));
  });
}

describe('npm start', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    // npm runs tsx runs node: the group (led by the child we spawned) goes down together.
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves health and a freeze on 127.0.0.1', async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-start-'));
    child = spawn('npm', ['start', '--silent'], {
      env: {
        ...process.env,
        PORT: '0',
        SPLITVAULT_DATA_DIR: join(dir, 'data'),
        SPLITVAULT_TOKENS_FILE: '',
        HOST: '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const url = await listeningUrl(child);
    expect((await http(url, 'GET', '/v1/health')).json.status).toBe('ok');
    const manifest = await uploadAndFreeze(url, csvDataset(60, 7), RANDOM_SPEC);
    expect(manifest.splits.train.rows + manifest.splits.validation.rows + manifest.splits.test.rows).toBe(60);
  });
});
