import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { hashFile } from '../hash-file.js';

/** Uploads running at once: enough to fill a link, few enough not to exhaust sockets. */
export const UPLOAD_CONCURRENCY = 4;

export interface HashedFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** Hashes the files one after the other, with one progress bar over all their bytes. */
export async function hashFiles(ctx: CommandContext, paths: readonly string[]): Promise<HashedFile[]> {
  const hashed: HashedFile[] = [];
  for (const [i, path] of paths.entries()) {
    ctx.progress.start(paths.length, 'hashing');
    ctx.progress.update(i, path);
    hashed.push({ path, ...(await hashFile(resolve(ctx.cwd, path))) });
  }
  ctx.progress.update(paths.length);
  ctx.progress.stop();
  return hashed;
}

/**
 * Registers the files as one dataset and uploads those the store lacks, `UPLOAD_CONCURRENCY`
 * at a time, with one progress bar over the bytes to send. Each file is stored under its own
 * address as soon as its upload ends, so a run that stops part way is resumed by running the
 * same command again: registration then hands out uploads for the missing files only.
 */
export async function registerAndUpload(
  ctx: CommandContext,
  files: readonly HashedFile[],
  mediaType: string | undefined,
): Promise<{ readonly sha256: string; readonly bytes: number; readonly uploaded: number }> {
  const created = await ctx.client.createFilesDataset({
    files: files.map((file) => ({ sha256: file.sha256, bytes: file.bytes, name: file.path.slice(-256) })),
    ...(mediaType ? { mediaType } : {}),
  });
  const pending = created.uploads.map(({ sha256, upload }) => ({
    upload,
    file: files.find((file) => file.sha256 === sha256)!,
  }));
  const total = pending.reduce((sum, { file }) => sum + file.bytes, 0);
  const sent = new Map<string, number>();
  const report = () => ctx.progress.update([...sent.values()].reduce((sum, n) => sum + n, 0));
  if (pending.length > 0) ctx.progress.start(total, 'uploading');
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const { upload, file } = pending[next++]!;
      await ctx.client.uploadDataset(
        upload,
        createReadStream(resolve(ctx.cwd, file.path)),
        file.bytes,
        (n) => {
          sent.set(file.sha256, n);
          report();
        },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, pending.length) }, worker));
  if (pending.length > 0) ctx.progress.stop();
  return { sha256: created.dataset.sha256, bytes: created.dataset.bytes, uploaded: pending.length };
}
