/**
 * Writes a blob's bytes to a temp file and proves what reached the disk: every byte written
 * (short writes are continued, never dropped), fsynced, then the file's size (fstat) and the
 * SHA-256 of the file as read back must equal the address. Hashing what is on disk, not what
 * was in memory, is what keeps a truncated file from being published under the full hash.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { SplitvaultError } from '../../core/errors.js';
import { mismatch } from '../common/verify-bytes.js';

/**
 * Largest single write(2) and hash update. Node refuses a hash update over 2 GiB ("data is
 * too long") and Linux writes at most 0x7ffff000 bytes per call, so big blobs go in slices.
 */
export const IO_SLICE_BYTES = 64 * 1024 * 1024;
const READ_BUFFER_BYTES = 8 * 1024 * 1024;

/** Writes `body` to a new file at `temp` (mode 0600) and checks it on disk against the address. */
export async function writeVerified(
  temp: string,
  sha256: string,
  body: Uint8Array | AsyncIterable<Uint8Array>,
  bytes: number,
): Promise<void> {
  const file = await open(temp, 'wx+', 0o600);
  try {
    let written = 0;
    for await (const chunk of body instanceof Uint8Array ? [body] : body) {
      // Stop at the first byte past the declared size rather than filling the disk.
      if (written + chunk.byteLength > bytes) {
        throw mismatch(sha256, bytes, 'unknown (body too long)', written + chunk.byteLength);
      }
      await writeAll(file, chunk, written);
      written += chunk.byteLength;
    }
    await file.sync();
    const { size } = await file.stat();
    if (size !== written) {
      throw new SplitvaultError(
        'integrity',
        'BLOB.WRITE_LOST',
        `the file system holds ${size} of the ${written} bytes written to ${temp}`,
      );
    }
    const actual = await hashFile(file, size);
    if (actual !== sha256 || size !== bytes) throw mismatch(sha256, bytes, actual, size);
  } finally {
    await file.close();
  }
}

/** Syncs a finished file and checks its size and SHA-256 on disk against the address. */
export async function checkOnDisk(path: string, sha256: string, bytes: number): Promise<void> {
  const file = await open(path, 'r+');
  try {
    await file.sync();
    const { size } = await file.stat();
    const actual = await hashFile(file, size);
    if (actual !== sha256 || size !== bytes) throw mismatch(sha256, bytes, actual, size);
  } finally {
    await file.close();
  }
}

/** SHA-256 of a whole file, read back in bounded slices. */
export async function hashFile(file: FileHandle, size: number): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(Math.min(READ_BUFFER_BYTES, Math.max(size, 1)));
  let position = 0;
  for (;;) {
    const { bytesRead } = await file.read(buffer, 0, buffer.byteLength, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}

/** pwrite until every byte of `chunk` is down; a full disk surfaces as the next call's ENOSPC. */
async function writeAll(file: FileHandle, chunk: Uint8Array, at: number): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const length = Math.min(chunk.byteLength - offset, IO_SLICE_BYTES);
    const { bytesWritten } = await file.write(chunk, offset, length, at + offset);
    if (bytesWritten <= 0) throw new Error(`write(2) made no progress at byte ${at + offset}`);
    offset += bytesWritten;
  }
}
