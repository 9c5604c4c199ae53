/**
 * The parts of a scale run on a fresh embedded server that freeze-big.ts (one big CSV, by hand)
 * and server-freeze.ts (the runs of `npm run bench`) share: stocking the store with a file by
 * hard link, starting the server as `npm start` runs it, waiting for it, calling its API, and
 * reading its memory from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, link, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../lib/paths.js';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * 2 ** 20 })) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Puts the file into the data directory's store in its published form (read-only, under its
 * SHA-256) by a hard link, not a copy: at these sizes the disk can't hold the file, a second
 * copy and the split files together. Answers the SHA-256, for registering it through the API,
 * which answers at once for bytes already stored.
 */
export async function linkIntoStore(dataDir: string, path: string): Promise<string> {
  const dir = join(dataDir, 'blobs', 'datasets', 'sha256');
  await mkdir(dir, { recursive: true });
  const sha256 = await sha256Of(path);
  const target = join(dir, sha256);
  await link(path, target).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  await chmod(target, 0o444);
  return sha256;
}

/** Starts the embedded server as `npm start` does, on 127.0.0.1:`port`, with `env` added. */
export function startServer(port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'functions', 'handlers', 'node.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Waits up to 60 s for GET /v1/health to answer; fails at once if the server exits. */
export async function waitUp(base: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i <= 600; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const up = await fetch(`${base}/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start within 60 s');
}

/** The few fields of the API's answers the scale scripts read. */
export interface ApiAnswer {
  readonly dataset?: { readonly status?: string; readonly sha256?: string };
  readonly job?: { readonly id: string };
  readonly state?: string;
  readonly progress?: { readonly stage: string; readonly done: number; readonly total: number };
  readonly error?: unknown;
  readonly result?: { readonly manifestId?: string };
  readonly manifestId?: string;
  readonly manifest?: { readonly splits?: unknown };
  readonly splits?: unknown;
}

/** A JSON caller of the API at `base`. */
export function apiClient(base: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as ApiAnswer };
  };
}

/** Peak and current RSS of a process, from /proc (kB there). */
export async function processMemory(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}
