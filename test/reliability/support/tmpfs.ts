/**
 * A small, genuinely full-able file system for disk-full tests: a tmpfs mounted on a fresh
 * directory (needs root, as CI runs). `fill` leaves an exact number of bytes free with a filler
 * file, `release` deletes it, so a test can take space away and give it back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, statfs, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  readonly dir: string;
  /** Bytes free for an ordinary file right now. */
  free(): Promise<number>;
  /** Grows the filler until at most `leaveBytes` are free. */
  fill(leaveBytes: number): Promise<void>;
  /** Deletes the filler: the space comes back. */
  release(): Promise<void>;
  unmount(): Promise<void>;
}

export async function mountTmpfs(sizeBytes: number): Promise<Tmpfs> {
  if (process.getuid?.() !== 0) {
    throw new Error('the disk-full suite mounts a tmpfs and needs root (CI runs as root)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'splitvault-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  const free = async () => {
    const info = await statfs(dir);
    return info.bavail * info.bsize;
  };
  return {
    dir,
    free,
    async fill(leaveBytes) {
      const file = await open(filler, 'a');
      try {
        const chunk = Buffer.alloc(64 * 1024, 1);
        for (let room = (await free()) - leaveBytes; room > 0; room = (await free()) - leaveBytes) {
          await file.write(chunk, 0, Math.min(chunk.byteLength, room));
        }
        await file.sync();
      } finally {
        await file.close();
      }
    },
    async release() {
      await unlink(filler).catch(() => undefined);
    },
    async unmount() {
      execFileSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
