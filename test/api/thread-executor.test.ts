import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { threadExecutor } from '../../functions/handlers/thread-executor.js';
import type { Job } from '../../schemas/records.js';

const verifyJob = (id: string): Job => ({
  id,
  kind: 'verify',
  state: 'running',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  actor: 'tester',
  input: { manifestId: 'c'.repeat(64), requestId: `req-${id}` },
});

describe('job work in worker threads', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs each job in a thread on its own stores and posts back the outcome', async () => {
    dir = await mkdtemp(join(tmpdir(), 'splitvault-threads-'));
    const threads = threadExecutor({
      config: loadConfig({ SPLITVAULT_DATA_DIR: join(dir, 'data') }),
      publicBaseUrl: 'http://splitvault.test',
    });
    try {
      for (const id of ['first', 'second']) {
        await expect(threads.execute(verifyJob(id))).resolves.toMatchObject({
          state: 'failed',
          problem: { status: 404, code: 'SPLIT.NOT_FOUND' },
        });
      }
    } finally {
      await threads.close();
    }
  });

  it('fails the job with a 500 problem when its thread dies, and still answers the next job', async () => {
    dir ||= await mkdtemp(join(tmpdir(), 'splitvault-threads-'));
    // The data dir is a file, so the thread can't open its stores and dies.
    const notADir = join(dir, 'not-a-dir');
    await writeFile(notADir, 'x');
    const threads = threadExecutor({
      config: loadConfig({ SPLITVAULT_DATA_DIR: notADir }),
      publicBaseUrl: 'http://splitvault.test',
    });
    try {
      const outcome = await threads.execute(verifyJob('doomed'));
      expect(outcome).toMatchObject({ state: 'failed', problem: { status: 500, code: 'INTERNAL' } });
      await expect(threads.execute(verifyJob('doomed-too'))).resolves.toMatchObject({ state: 'failed' });
    } finally {
      await threads.close();
    }
  });
});
