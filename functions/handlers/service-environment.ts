import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import type { Environment } from '../../schemas/records.js';

/** The libraries whose versions shape the bytes of a split: the Arrow encoder and the readers. */
const BYTE_SHAPING = ['apache-arrow', 'parquet-wasm', 'hyparquet'] as const;

/**
 * The service's fingerprint for freeze events. Library versions come from the installed
 * package.json when it is on disk, else from our exact pins (a bundled Lambda is built from
 * the lockfile, so the pin is what it contains).
 */
export function serviceEnvironment(gitCommit: string | undefined): Environment {
  // The service's libraries are devDependencies: the published package carries only the CLI
  // and the client, and the service is built from the repository with everything installed.
  const pins = { ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>;
  const libraries = Object.fromEntries(
    BYTE_SHAPING.filter((name) => pins[name] !== undefined).map((name) => [
      name,
      installedVersion(name) ?? pins[name],
    ]),
  );
  return {
    service: 'splitvault',
    version: pkg.version,
    gitCommit: gitCommit ?? currentCommit() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    libraries,
  };
}

/** The version of the copy Node would load, found by walking up from its entry point. */
function installedVersion(name: string): string | undefined {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    for (let i = 0; i < 6; i += 1) {
      try {
        const found = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (found.name === name) return found.version;
      } catch {
        // no package.json at this level; keep walking up
      }
      dir = dirname(dir);
    }
  } catch {
    // not resolvable (bundled or not installed): the caller falls back to the pin
  }
  return undefined;
}

function currentCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}
