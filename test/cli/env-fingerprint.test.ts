import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFingerprint, isLockfileName } from '../../functions/cli/env-fingerprint.js';

describe('isLockfileName', () => {
  it.each([
    ['package-lock.json', true],
    ['pnpm-lock.yaml', true],
    ['yarn.lock', true],
    ['poetry.lock', true],
    ['uv.lock', true],
    ['requirements.txt', true],
    ['requirements-dev.txt', true],
    ['environment.yml', true],
    ['Pipfile.lock', true],
    ['package.json', false],
    ['requirements.in', false],
    ['my-requirements.txt', false],
  ])('counts %s as a lock file: %s', (name, expected) => {
    expect(isLockfileName(name)).toBe(expected);
  });
});

describe('envFingerprint', () => {
  it('hashes exactly the lock files of the directory, sorted by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sv-env-'));
    try {
      await writeFile(join(dir, 'yarn.lock'), 'y');
      await writeFile(join(dir, 'poetry.lock'), 'p');
      await writeFile(join(dir, 'README.md'), 'r');
      const env = await envFingerprint(dir, '9.9.9');
      const hex = (text: string) => createHash('sha256').update(text).digest('hex');
      expect(Object.keys(env.lockfiles)).toEqual(['poetry.lock', 'yarn.lock']);
      expect(env.lockfiles['yarn.lock']).toBe(hex('y'));
      expect(env).toMatchObject({ clientVersion: '9.9.9', node: process.version, arch: process.arch });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('envFingerprint in a git checkout', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
      cwd,
      encoding: 'utf8',
    });

  it('reports the commit of the directory it runs in and whether tracked files changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sv-env-git-'));
    try {
      git(dir, 'init', '-q');
      await writeFile(join(dir, 'uv.lock'), 'one');
      git(dir, 'add', 'uv.lock');
      git(dir, 'commit', '-q', '-m', 'lock');
      const commit = git(dir, 'rev-parse', 'HEAD').trim();
      expect((await envFingerprint(dir, '1.0.0')).git).toEqual({ commit, dirty: false });
      await writeFile(join(dir, 'uv.lock'), 'two');
      expect((await envFingerprint(dir, '1.0.0')).git).toEqual({ commit, dirty: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves git out in a directory that is no checkout', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sv-env-nogit-'));
    try {
      expect(await envFingerprint(dir, '1.0.0')).not.toHaveProperty('git');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
