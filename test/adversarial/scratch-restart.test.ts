import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Scratch spaces are named `<pid>-<uuid>`, and sweepScratch (run when the embedded backend
 * starts) keeps every space whose pid is alive. A restarted container gets the same pid as the
 * one that crashed (here, as in most images, 1), so the crashed run's split files are never
 * swept and each crash mid-freeze leaves up to a dataset's worth of scratch disk behind. The
 * blob store's own sweep (fs-temp-files.ts isOrphan) already handles this case; the scratch
 * sweep does not. Each run is a node process in a PID namespace of its own, so both are pid 1.
 */

const here = import.meta.dirname;
const scratch = join(here, '..', '..', 'functions', 'adapters', 'local', 'fs-scratch.ts');

let scripts: string;

/** Runs `code` (an ES module body) as pid 1 of a new PID namespace, as a container's process. */
async function asContainer(code: string): Promise<string> {
  const path = join(scripts, `run-${Math.random().toString(36).slice(2)}.mts`);
  await writeFile(path, code);
  // A crash exits non-zero; what the run wrote before it is what counts.
  const run = spawnSync('unshare', ['-Upf', '--map-root-user', process.execPath, '--import', 'tsx', path], {
    encoding: 'utf8',
    cwd: join(here, '..', '..'),
    env: { ...process.env, SCRATCH: scratch },
  });
  if (run.error) throw run.error;
  return run.stdout || run.stderr;
}

describe('scratch space of a crashed container', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'splitvault-scratch-restart-'));
    scripts = await mkdtemp(join(tmpdir(), 'splitvault-scratch-scripts-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(scripts, { recursive: true, force: true });
  });

  it('is swept when the restarted container, with the same pid, starts', async () => {
    // The first run writes a split file to scratch and dies mid-freeze.
    const pid = await asContainer(`
      const { openScratch } = await import(process.env.SCRATCH);
      const space = await openScratch(${JSON.stringify(root)});
      const file = await space.create('train.arrow');
      await file.append(new Uint8Array(1024));
      process.stdout.write(String(process.pid));
      process.exit(1);
    `);
    expect(pid).toBe('1');
    expect(await readdir(root)).toHaveLength(1);
    // The restarted container sweeps at start.
    const removed = await asContainer(`
      const { sweepScratch } = await import(process.env.SCRATCH);
      process.stdout.write(String(await sweepScratch(${JSON.stringify(root)})));
    `);
    expect(removed).toBe('1');
    expect(await readdir(root)).toEqual([]);
  });
});
