/**
 * Content-addressed blobs on the local file system, the embedded twin of the S3 store.
 * Writes go to a private temp file while hashing, are fsynced and verified, then published
 * with link(2), which fails rather than replace an existing file: nothing is ever overwritten.
 * The retain-until date is the file's mtime, set before publishing so it is atomic with it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, link, mkdir, open, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { BlobInfo, BlobKind, BlobStore, PresignedRequest, PresignGetOptions } from '../../core/ports.js';
import { blobKey } from '../common/blob-address.js';
import { mismatch } from '../common/verify-bytes.js';
import { HmacUrlSigner } from './signed-urls.js';

export interface FsBlobStoreOptions {
  /** Root of the store; blobs live under datasets/ and artifacts/ as on S3. */
  readonly dir: string;
  /** Base of the presigned URLs the local server answers. */
  readonly publicBaseUrl: string;
  readonly secret: Uint8Array;
  /** How long a new blob is retained (reported by head(); this store has no delete at all). */
  readonly retentionDays: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

const DAY_MS = 86_400_000;

/** The embedded BlobStore. */
export class FsBlobStore implements BlobStore {
  readonly #dir: string;
  readonly #retentionMs: number;
  readonly #clock: () => Date;
  readonly #signer: HmacUrlSigner;

  constructor(options: FsBlobStoreOptions) {
    if (!(options.retentionDays > 0)) {
      throw new RangeError(`retentionDays must be positive, got ${options.retentionDays}`);
    }
    this.#dir = options.dir;
    this.#retentionMs = options.retentionDays * DAY_MS;
    this.#clock = options.clock ?? (() => new Date());
    this.#signer = new HmacUrlSigner({ publicBaseUrl: options.publicBaseUrl, secret: options.secret });
  }

  async put(
    kind: BlobKind,
    sha256: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    bytes: number,
  ): Promise<{ readonly created: boolean }> {
    const target = this.#path(kind, sha256);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeVerified(temp, sha256, body, bytes);
      await chmod(temp, 0o444);
      const retainUntil = new Date(this.#clock().getTime() + this.#retentionMs);
      await utimes(temp, retainUntil, retainUntil);
      await link(temp, target);
      return { created: true };
    } catch (error) {
      // Another writer published the same address first: same hash, so same bytes.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { created: false };
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async head(kind: BlobKind, sha256: string): Promise<BlobInfo | undefined> {
    const info = await stat(this.#path(kind, sha256)).catch(notFoundAsUndefined);
    if (info === undefined) return undefined;
    return { kind, sha256, bytes: info.size, retainUntil: info.mtime.toISOString() };
  }

  async open(kind: BlobKind, sha256: string): Promise<AsyncIterable<Uint8Array>> {
    const path = this.#path(kind, sha256);
    // Opening first turns a missing blob into NotFoundError now rather than mid-stream.
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new NotFoundError('BLOB.NOT_FOUND', `no ${kind} stored under ${sha256}`);
      throw error;
    });
    return createReadStream(path, { fd: handle, autoClose: true });
  }

  async presignGet(kind: BlobKind, sha256: string, options: PresignGetOptions): Promise<PresignedRequest> {
    const expires = this.#expiry(options.expiresIn);
    const params: Record<string, string> = { expires: String(expires) };
    if (options.filename !== undefined) params.filename = options.filename;
    const url = this.#signer.sign('GET', kind, sha256, params);
    return { url, method: 'GET', headers: {}, expiresAt: new Date(expires * 1000).toISOString() };
  }

  async presignPut(
    sha256: string,
    bytes: number,
    options: { readonly expiresIn: number },
  ): Promise<PresignedRequest> {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new ValidationError(
        'BLOB.INVALID_SIZE',
        `blob size must be a non-negative integer, got ${bytes}`,
      );
    }
    const expires = this.#expiry(options.expiresIn);
    const url = this.#signer.sign('PUT', 'dataset', sha256, {
      bytes: String(bytes),
      expires: String(expires),
    });
    return { url, method: 'PUT', headers: {}, expiresAt: new Date(expires * 1000).toISOString() };
  }

  #expiry(expiresIn: number): number {
    return Math.floor(this.#clock().getTime() / 1000) + Math.floor(expiresIn);
  }

  #path(kind: BlobKind, sha256: string): string {
    return join(this.#dir, blobKey(kind, sha256));
  }
}

async function writeVerified(
  temp: string,
  sha256: string,
  body: Uint8Array | AsyncIterable<Uint8Array>,
  bytes: number,
): Promise<void> {
  const hash = createHash('sha256');
  let written = 0;
  const file = await open(temp, 'wx', 0o600);
  try {
    for await (const chunk of body instanceof Uint8Array ? [body] : body) {
      hash.update(chunk);
      written += chunk.byteLength;
      // Stop at the first byte past the declared size rather than filling the disk.
      if (written > bytes) throw mismatch(sha256, bytes, 'unknown (body too long)', written);
      await file.write(chunk);
    }
    await file.sync();
  } finally {
    await file.close();
  }
  const actual = hash.digest('hex');
  if (actual !== sha256 || written !== bytes) throw mismatch(sha256, bytes, actual, written);
}

function notFoundAsUndefined(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
