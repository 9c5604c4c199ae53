import { createHash } from 'node:crypto';
import { concatBytes } from '../core/concat-bytes.js';
import { NotFoundError } from '../core/errors.js';
import type { BlobKind, BlobStore } from '../core/ports.js';

export interface ReadBlob {
  readonly bytes: Uint8Array;
  /** The SHA-256 of what was actually read; callers compare it with the address. */
  readonly sha256: string;
}

/** Reads a whole blob into memory, hashing as it streams (the engine needs all bytes anyway). */
export async function readBlob(blobs: BlobStore, kind: BlobKind, sha256: string): Promise<ReadBlob> {
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  for await (const chunk of await blobs.open(kind, sha256)) {
    hash.update(chunk);
    chunks.push(chunk);
  }
  return { bytes: concatBytes(chunks), sha256: hash.digest('hex') };
}

/** Hashes a stored blob without keeping it; undefined when it is not there. */
export async function rehashBlob(
  blobs: BlobStore,
  kind: BlobKind,
  sha256: string,
): Promise<string | undefined> {
  // open() already reports absence (NotFoundError), so no HEAD round trip first.
  const stream = await blobs.open(kind, sha256).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (!stream) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}
