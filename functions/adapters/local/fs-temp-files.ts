/**
 * Temp files of the embedded blob store. Each is named after the blob it will become plus
 * the writing process's pid, so a later start can tell an orphan (its writer is gone) from a
 * write in progress in another process sharing the data dir. Published blob names never
 * match TEMP_NAME, so the sweep can't remove one.
 */
import { randomUUID } from 'node:crypto';
import { opendir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_NAME = /^[0-9a-f]{64}(?:\.arrow)?\.(?:(\d+)-)?[0-9a-f-]{36}\.tmp$/;
const BLOB_DIRS = ['datasets/sha256', 'artifacts/sha256'];

/** `<target>.<pid>-<uuid>.tmp`, next to the target so link(2) stays on one file system. */
export function tempPathFor(target: string): string {
  return `${target}.${process.pid}-${randomUUID()}.tmp`;
}

/**
 * Removes temp files left by a writer that no longer runs: another pid that is gone, or this
 * pid (a restarted container often gets the same one) when the file isn't one of `inFlight`.
 * Streams the directories, so a large store doesn't hold the event loop. Answers the count.
 */
export async function sweepOrphanedTemps(root: string, inFlight: ReadonlySet<string>): Promise<number> {
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
      const path = join(dir, entry.name);
      if (!entry.isFile() || !match || inFlight.has(path) || writerAlive(match[1])) continue;
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

/** Names from before pids were recorded have no writer that could still be running. */
function writerAlive(pidText: string | undefined): boolean {
  if (pidText === undefined) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
