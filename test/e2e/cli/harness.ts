import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnServer } from '../../reliability/support/server-child.js';

/** The repository root, found from this file so tests run from any cwd. */
export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const CLI = join(ROOT, 'dist/cli/splitvault.mjs');

/** Builds dist/cli/splitvault.mjs exactly as `npm run build` does. */
export async function buildCli(): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, 'scripts/build.mjs')], (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

export interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

/** Spawns the embedded server on 127.0.0.1 and a free port; resolves once it prints its URL. */
export function startServer(dataDir: string): Promise<Server> {
  return spawnServer(dataDir);
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a child process; never throws on a non-zero exit. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
