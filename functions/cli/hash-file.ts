import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Progress } from './progress.js';

/** Streams the file through SHA-256 so datasets larger than memory can be frozen. */
export async function hashFile(
  path: string,
  progress?: Progress,
): Promise<{ readonly sha256: string; readonly bytes: number }> {
  const { size } = await stat(path);
  const hash = createHash('sha256');
  let done = 0;
  progress?.start(size, 'hashing');
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    progress?.update(done);
  }
  progress?.stop();
  return { sha256: hash.digest('hex'), bytes: done };
}
