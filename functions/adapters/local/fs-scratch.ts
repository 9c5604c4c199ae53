/**
 * Scratch files on the local disk: under `<root>/<pid>-<uuid>/`, one directory per space, so a
 * later start can tell a dead process's leftovers (its pid is gone) from a live job's. On
 * Lambda the root is the function's /tmp.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScratchFile, ScratchSpace } from '../../core/ports.js';
import { asStorageFull } from './fs-blob-store.js';
import { isOrphan, thisProcess } from './fs-temp-files.js';

const SPACE_NAME = /^(\d+)-[0-9a-f-]{36}$/;

/**
 * Removes the spaces whose writer is gone (fs-temp-files.ts isOrphan): another pid that is dead,
 * or this pid on a space made before this process started (a restarted container often gets
 * the same pid). A live process's spaces, this one's included, are left alone.
 */
export async function sweepScratch(root: string): Promise<number> {
  const names = await readdir(root).catch(() => [] as string[]);
  const sweeper = thisProcess();
  let removed = 0;
  for (const name of names) {
    const match = SPACE_NAME.exec(name);
    if (!match) continue;
    const facts = await stat(join(root, name)).catch(() => undefined);
    if (!facts || !isOrphan({ pid: Number(match[1]), ctimeMs: facts.ctimeMs }, sweeper)) continue;
    await rm(join(root, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/** A scratch space of its own for one job; `dispose` removes it and all its files. */
export async function openScratch(root: string): Promise<ScratchSpace & { dispose(): Promise<void> }> {
  const dir = join(root, `${process.pid}-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  let next = 0;
  return {
    async create(name: string): Promise<ScratchFile> {
      const path = join(dir, `${next++}-${name.replace(/[^a-z0-9.-]/gi, '_')}`);
      const handle = await open(path, 'wx');
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await handle.close();
      };
      return {
        path,
        async append(chunk) {
          try {
            let at = 0;
            while (at < chunk.byteLength) {
              const { bytesWritten } = await handle.write(chunk, at, chunk.byteLength - at);
              at += bytesWritten;
            }
          } catch (error) {
            throw asStorageFull(error, 'writing a scratch file');
          }
        },
        async *read() {
          await close();
          yield* createReadStream(path, { highWaterMark: 4 * 2 ** 20 });
        },
        async remove() {
          await close();
          await rm(path, { force: true });
        },
      };
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
