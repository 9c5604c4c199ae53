import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

// npm run from vitest would inherit npm_config_* (prefix, global...) from the outer npx.
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

const npm = (cwd: string, ...args: string[]) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    env: ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

let tmp: string;
let tarball: string;
let bin: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sv-pack-'));
  npm(ROOT, 'pack', '--pack-destination', tmp, '--silent');
  const [name] = (await readdir(tmp)).filter((file) => /^splitvault-.*\.tgz$/.test(file));
  tarball = join(tmp, name ?? 'missing.tgz');
  npm(tmp, 'install', '-g', tarball, '--prefix', join(tmp, 'prefix'));
  bin = join(tmp, 'prefix/bin/splitvault');
}, 240_000);
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the package npm pack makes, installed outside the repository', () => {
  it('runs the splitvault bin from another directory', async () => {
    const elsewhere = join(tmp, 'elsewhere');
    await mkdir(elsewhere);
    const help = execFileSync(bin, ['--help'], { cwd: elsewhere, env: ENV, encoding: 'utf8' });
    expect(help).toContain('Usage: splitvault');
    expect(help).toContain('freeze');
    // contains computes row identities with the engine's code: apache-arrow must install with it.
    expect(help).toContain('contains');
  });

  it("describes the user's directory in splitvault env: its lock files, commit and dirty flag", async () => {
    const project = join(tmp, 'project');
    await mkdir(project);
    git(project, 'init', '-q');
    await writeFile(join(project, 'uv.lock'), 'pinned');
    git(project, 'add', 'uv.lock');
    git(project, 'commit', '-q', '-m', 'pin');
    await writeFile(join(project, 'uv.lock'), 'changed');
    const env = JSON.parse(
      execFileSync(bin, ['env', '--json'], { cwd: project, env: ENV, encoding: 'utf8' }),
    );
    expect(Object.keys(env.lockfiles)).toEqual(['uv.lock']);
    expect(env.git).toEqual({ commit: git(project, 'rev-parse', 'HEAD'), dirty: true });
  });

  it('lets a plain Node ESM project import splitvault/client', async () => {
    const app = join(tmp, 'app');
    await mkdir(app);
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    npm(app, 'install', tarball);
    const exported = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('splitvault/client'); console.log(Object.keys(m).sort().join(' '))",
      ],
      { cwd: app, env: ENV, encoding: 'utf8' },
    );
    expect(exported.trim()).toBe('ApiError ResponseShapeError createClient createSigV4Signer');
  }, 120_000);
});
