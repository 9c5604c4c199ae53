import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError } from './cli-error.js';
import type { Progress } from './progress.js';

export interface DownloadRequest {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * Streams `request.url` into `dest`, hashing on the way. Bytes land in `dest.partial` and are
 * renamed only after the hash and size match, so a reader never sees an unverified file.
 */
export async function downloadVerified(
  request: DownloadRequest,
  dest: string,
  progress?: Progress,
  fetchImpl: typeof fetch = fetch,
): Promise<{ readonly path: string; readonly sha256: string; readonly bytes: number }> {
  const response = await fetchImpl(request.url, { headers: { ...request.headers } });
  if (!response.ok || response.body === null) {
    throw new CliError('CLI.DOWNLOAD_FAILED', `download failed with HTTP ${response.status}`, {
      detail: await response.text().catch(() => ''),
    });
  }
  const partial = `${dest}.partial`;
  const hash = createHash('sha256');
  let received = 0;
  progress?.start(request.bytes, 'downloading');
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      received += chunk.length;
      progress?.update(received);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), meter, createWriteStream(partial));
  } catch (error) {
    await rm(partial, { force: true });
    throw new CliError('CLI.DOWNLOAD_FAILED', `download of ${dest} was interrupted`, { cause: error });
  } finally {
    progress?.stop();
  }
  const actual = hash.digest('hex');
  if (actual !== request.sha256 || received !== request.bytes) {
    await rm(partial, { force: true });
    throw new CliError('CLI.CHECKSUM_MISMATCH', 'downloaded bytes do not match the manifest', {
      detail: `expected sha256 ${request.sha256} (${request.bytes} bytes), got ${actual} (${received} bytes); nothing was written to ${dest}`,
    });
  }
  await rename(partial, dest);
  return { path: dest, sha256: actual, bytes: received };
}
