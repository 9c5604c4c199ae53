import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

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
export async function startServer(dataDir: string): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'functions/handlers/node.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SPLITVAULT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`server exited with ${code} before listening`);
  });
  const lines = createInterface({ input: child.stdout! });
  const listening = (async () => {
    for await (const line of lines) {
      const message = JSON.parse(line) as { msg?: string; url?: string };
      if (message.msg === 'listening' && message.url) return message.url;
    }
    throw new Error('server closed stdout before listening');
  })();
  const url = await Promise.race([listening, exited]);
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
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
