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
