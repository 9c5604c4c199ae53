import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../lib/paths.js';

/** The embedded API server running in its own process on 127.0.0.1. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL if it hasn't exited within five seconds. */
  stop(): Promise<void>;
}

const STARTUP_MS = 60_000;
// Linux's USER_HZ, the unit of utime/stime in /proc/PID/stat, is 100 on every mainstream build.
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far, from /proc (undefined off Linux). */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Starts `functions/handlers/node.ts` (what `npm start` runs) on a free port. Its request log goes
 * to a file rather than a pipe, so no third process spends CPU draining it during the load.
 */
export async function startServerProcess(dataDir: string, logFile: string): Promise<ServerProcess> {
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'functions', 'handlers', 'node.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SPLITVAULT_BACKEND: 'local',
      SPLITVAULT_DATA_DIR: dataDir,
    },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  const stop = async () => {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited(child);
    clearTimeout(killer);
  };
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the API server exited with ${child.exitCode} before listening`);
    const match = /"msg":"listening","url":"([^"]+)"/.exec(readFileSync(logFile, 'utf8'));
    if (match?.[1]) return { url: match[1], pid: child.pid!, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`the API server did not say "listening" within ${STARTUP_MS} ms (log: ${logFile})`);
}
