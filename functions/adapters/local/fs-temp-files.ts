/**
 * Temp files of the embedded blob store. Each is named after the blob it will become plus
 * the writing process's pid, so a later start can tell an orphan (its writer is gone) from a
 * write in progress in another process sharing the data dir. Published blob names never
 * match TEMP_NAME, so the sweep can't remove one.
 */
import { randomUUID } from 'node:crypto';
import { opendir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_NAME = /^[0-9a-f]{64}(?:\.arrow)?\.(?:(\d+)-)?[0-9a-f-]{36}\.tmp$/;
const BLOB_DIRS = ['datasets/sha256', 'artifacts/sha256', 'identities/sha256', 'leakage/sha256'];

/** `<target>.<pid>-<uuid>.tmp`, next to the target so link(2) stays on one file system. */
export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${randomUUID()}.tmp`;
}

export interface TempFileFacts {
  /** The writer's pid from the name; undefined for names from before pids were recorded. */
  readonly pid: number | undefined;
  /** Last status change: creation, each write, the chmod before publishing. */
  readonly ctimeMs: number;
}

export interface SweepingProcess {
  readonly pid: number;
  readonly startedAtMs: number;
  isAlive(pid: number): boolean;
}

/**
 * An orphan is a temp file whose writer can no longer finish it: an old-style name, a pid
 * that is gone, or this pid (a restarted container often gets the same one) on a file last
 * touched before this process started. The last rule, not a per-object registry, is what
 * keeps the writes of this process's other threads and store instances safe.
 */
export function isOrphan(file: TempFileFacts, sweeper: SweepingProcess): boolean {
  if (file.pid === undefined) return true;
  if (file.pid === sweeper.pid) return file.ctimeMs < sweeper.startedAtMs;
  return !sweeper.isAlive(file.pid);
}

/** This process; process.uptime() is process-wide, so worker threads agree on the start. */
export function thisProcess(): SweepingProcess {
  return { pid: process.pid, startedAtMs: Date.now() - process.uptime() * 1000, isAlive };
}

/**
 * Removes orphaned temp files (isOrphan) under the store's root. Streams the directories, so
 * a large store doesn't hold the event loop. Answers how many it removed.
 */
export async function sweepOrphanedTemps(root: string, sweeper = thisProcess()): Promise<number> {
  let removed = 0;
  for (const sub of BLOB_DIRS) {
    const dir = join(root, sub);
    const entries = await opendir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (entries === undefined) continue;
    for await (const entry of entries) {
      const match = TEMP_NAME.exec(entry.name);
      if (!entry.isFile() || !match) continue;
      const path = join(dir, entry.name);
      const info = await stat(path).catch(() => undefined);
      const pid = match[1] === undefined ? undefined : Number(match[1]);
      if (!info || !isOrphan({ pid, ctimeMs: info.ctimeMs }, sweeper)) continue;
      await unlink(path).then(
        () => {
          removed += 1;
        },
        (error: NodeJS.ErrnoException) => {
          // Its writer published or cleaned it up between readdir and now.
          if (error.code !== 'ENOENT') throw error;
        },
      );
    }
  }
  return removed;
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
