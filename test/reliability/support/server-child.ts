/**
 * The embedded server as its own process (`node --import tsx functions/handlers/node.ts`, what
 * `npm start` runs), so a test can kill -9 it and start another on the same data dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export interface ServerChild {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: no shutdown, no final writes, as a crash or the OOM killer would. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnServer(
  dataDir: string,
  env: Readonly<Record<string, string>> = {},
): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/handlers/node.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SPLITVAULT_DATA_DIR: dataDir, ...env },
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
  // Keep draining the request log so the child never blocks on a full pipe.
  child.stdout!.resume();
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stopWith = async (signal: NodeJS.Signals) => {
    if (gone()) return;
    const exit = once(child, 'exit');
    child.kill(signal);
    await exit;
  };
  return { url, child, kill9: () => stopWith('SIGKILL'), stop: () => stopWith('SIGTERM') };
}
