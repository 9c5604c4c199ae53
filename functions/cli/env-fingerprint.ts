import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Lock files whose hashes pin the environment that produced (and will consume) a split. */
const LOCKFILE_NAMES = [
  'package-lock.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'poetry.lock',
  'uv.lock',
  'environment.yml',
  'Pipfile.lock',
] as const;

/** Exact names plus requirements*.txt, which projects split into several files. */
export function isLockfileName(name: string): boolean {
  return (LOCKFILE_NAMES as readonly string[]).includes(name) || /^requirements.*\.txt$/.test(name);
}

/** What `splitvault env` reports and what `freeze` attaches to each freeze event. */
export interface EnvFingerprint {
  readonly client: string;
  readonly clientVersion: string;
  readonly node: string;
  readonly os: string;
  readonly arch: string;
  /** File name to lower-case hex SHA-256, sorted by name. */
  readonly lockfiles: Readonly<Record<string, string>>;
  /** The commit checked out where the command runs, and whether files differ from it; absent outside git. */
  readonly git?: { readonly commit: string; readonly dirty: boolean };
}

const run = promisify(execFile);

/** The user's checkout, not splitvault's: git runs in `cwd`, whatever directory it was installed in. */
async function gitState(cwd: string): Promise<EnvFingerprint['git']> {
  try {
    const git = (args: string[]) => run('git', args, { cwd, encoding: 'utf8' });
    const [head, status] = await Promise.all([
      git(['rev-parse', 'HEAD']),
      git(['status', '--porcelain', '--untracked-files=no']),
    ]);
    return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
  } catch {
    // no git, not a repository, or a repository with no commit yet
    return undefined;
  }
}

/** Reads lock files from `cwd` only: the fingerprint describes the project being run from. */
export async function envFingerprint(cwd: string, clientVersion: string): Promise<EnvFingerprint> {
  const names = (await readdir(cwd, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && isLockfileName(entry.name))
    .map((entry) => entry.name)
    .sort();
  const lockfiles: Record<string, string> = {};
  for (const name of names) {
    lockfiles[name] = createHash('sha256')
      .update(await readFile(join(cwd, name)))
      .digest('hex');
  }
  const git = await gitState(cwd);
  return {
    client: 'splitvault-cli',
    clientVersion,
    node: process.version,
    os: `${platform()} ${release()}`,
    arch: arch(),
    lockfiles,
    ...(git ? { git } : {}),
  };
}
