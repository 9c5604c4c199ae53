/**
 * Content-addressed blobs on the local file system, the embedded twin of the S3 store.
 * Writes go to a private temp file, are fsynced and verified on disk (fs-verified-write.ts),
 * then published with link(2), which fails rather than replace an existing file. The one
 * exception is repair: when the file at an address doesn't hash to it, verified right bytes
 * replace it with rename(2). The retain-until date is the file's mtime, set before publishing.
 * Disk full (ENOSPC, EDQUOT, or EFBIG from a file-size limit) is StorageFullError.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, type FileHandle, link, mkdir, open, rename, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { IntegrityError, NotFoundError, StorageFullError, ValidationError } from '../../core/errors.js';
import type {
  BlobInfo,
  BlobKind,
  BlobPutResult,
  BlobStore,
  ByteRange,
  DamagedBlob,
  DamagedBlobLog,
  PresignedRequest,
  PresignGetOptions,
} from '../../core/ports.js';
import { blobKey } from '../common/blob-address.js';
import { FsDamageLog } from './fs-damage-log.js';
import { sweepOrphanedTemps, tempPathFor } from './fs-temp-files.js';
import { checkOnDisk, hashFile, writeVerified } from './fs-verified-write.js';
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
/** How many intact blobs a store remembers before it starts over (a few hundred KB of keys). */
const INTACT_LIMIT = 4096;

/** The embedded BlobStore; it also remembers the damaged blobs it has seen. */
export class FsBlobStore implements BlobStore, DamagedBlobLog {
  readonly #dir: string;
  readonly #damage: FsDamageLog;
  /**
   * Whole-file checks of blobs read by range, by kind/address: settled ones found the blob
   * intact, pending ones are shared, so the several ranges a reader asks for at once (polars
   * fetches the footer and the batches in parallel) hash the file once, not once each.
   */
  readonly #intact = new Map<string, Promise<void>>();
  readonly #retentionMs: number;
  readonly #clock: () => Date;
  readonly #signer: HmacUrlSigner;

  constructor(options: FsBlobStoreOptions) {
    if (!(options.retentionDays > 0)) {
      throw new RangeError(`retentionDays must be positive, got ${options.retentionDays}`);
    }
    this.#dir = options.dir;
    this.#damage = new FsDamageLog(join(options.dir, 'damaged'));
    this.#retentionMs = options.retentionDays * DAY_MS;
    this.#clock = options.clock ?? (() => new Date());
    this.#signer = new HmacUrlSigner({ publicBaseUrl: options.publicBaseUrl, secret: options.secret });
  }

  async put(
    kind: BlobKind,
    sha256: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    bytes: number,
  ): Promise<BlobPutResult> {
    const target = this.#path(kind, sha256);
    const temp = tempPathFor(target);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeVerified(temp, sha256, body, bytes);
      return await this.#publish(kind, sha256, temp, bytes);
    } catch (error) {
      throw asStorageFull(error, `storing ${kind} ${sha256}`);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /**
   * Publishes a finished file of this file system (a job's scratch file) under its address by
   * renaming it in, not copying it: checked on disk first, as put checks what it wrote. The
   * file is gone afterwards. A file on another file system (EXDEV) is left where it was and
   * the answer is undefined: the caller then streams it through put.
   */
  async adopt(
    kind: BlobKind,
    sha256: string,
    path: string,
    bytes: number,
  ): Promise<BlobPutResult | undefined> {
    const target = this.#path(kind, sha256);
    const temp = tempPathFor(target);
    await mkdir(dirname(target), { recursive: true });
    const moved = await rename(path, temp).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EXDEV') return false;
        throw error;
      },
    );
    if (!moved) return undefined;
    try {
      await checkOnDisk(temp, sha256, bytes);
      return await this.#publish(kind, sha256, temp, bytes);
    } catch (error) {
      throw asStorageFull(error, `storing ${kind} ${sha256}`);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Read-only, retention date as mtime, then linked to its address (or repairing a damaged copy). */
  async #publish(kind: BlobKind, sha256: string, temp: string, bytes: number): Promise<BlobPutResult> {
    const target = this.#path(kind, sha256);
    await chmod(temp, 0o444);
    const retainUntil = new Date(this.#clock().getTime() + this.#retentionMs);
    await utimes(temp, retainUntil, retainUntil);
    const published = await link(temp, target).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    // Same address: the bytes there are these, unless they were damaged before or since.
    const repaired = !published && !(await holds(target, sha256, bytes));
    if (repaired) await rename(temp, target);
    if (published || repaired) await syncDir(dirname(target));
    // Right bytes are at the address now, so any damage recorded for it is history.
    await this.#damage.clear(kind, sha256);
    return repaired ? { created: false, repaired } : { created: published };
  }

  async head(kind: BlobKind, sha256: string): Promise<BlobInfo | undefined> {
    const info = await stat(this.#path(kind, sha256)).catch(notFoundAsUndefined);
    if (info === undefined) return undefined;
    return { kind, sha256, bytes: info.size, retainUntil: info.mtime.toISOString() };
  }

  /**
   * Streams the stored bytes, hashing them on the way: a read that reaches the end and doesn't
   * hash to the address is recorded as damage (listDamaged), whoever was reading.
   */
  async open(kind: BlobKind, sha256: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array>> {
    const path = this.#path(kind, sha256);
    // Opening first turns a missing blob into NotFoundError now rather than mid-stream.
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new NotFoundError('BLOB.NOT_FOUND', `no ${kind} stored under ${sha256}`);
      throw error;
    });
    if (range) {
      // A part can't be hashed against the address, and readers such as polars and pyarrow
      // only ever read parts: so the whole file is checked once first (once per process, as
      // stored bytes never change but by a verified repair), and damage is refused, not served.
      await this.#checkWhole(kind, sha256, handle).catch(async (error: unknown) => {
        await handle.close().catch(() => undefined);
        throw error;
      });
      return createReadStream(path, { fd: handle, autoClose: true, start: range.start, end: range.end });
    }
    return this.#watched(kind, sha256, createReadStream(path, { fd: handle, autoClose: true }));
  }

  /** Damaged blobs seen by a read and not yet repaired by a put of the right bytes. */
  async listDamaged(): Promise<readonly DamagedBlob[]> {
    return this.#damage.listDamaged();
  }

  /**
   * Removes temp files orphaned by a crash (never a published blob). Call once at start, in
   * the background: it streams the directories. Answers how many it removed.
   */
  async sweepTempFiles(): Promise<number> {
    return sweepOrphanedTemps(this.#dir);
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

  /** Whole seconds, rounded up: a URL never dies before the lifetime asked for. */
  #expiry(expiresIn: number): number {
    return Math.ceil((this.#clock().getTime() + expiresIn * 1000) / 1000);
  }

  /** Hashes the whole file behind `handle` unless this process already found it intact. */
  #checkWhole(kind: BlobKind, sha256: string, handle: FileHandle): Promise<void> {
    const key = `${kind}/${sha256}`;
    let check = this.#intact.get(key);
    if (!check) {
      // Bounded: past the limit the map starts over, which only costs a re-hash.
      if (this.#intact.size >= INTACT_LIMIT) this.#intact.clear();
      check = this.#hashWhole(kind, sha256, handle);
      this.#intact.set(key, check);
      // A damaged blob is checked again next time (a repair may have replaced it meanwhile).
      check.catch(() => this.#intact.delete(key));
    }
    return check;
  }

  async #hashWhole(kind: BlobKind, sha256: string, handle: FileHandle): Promise<void> {
    const { size } = await handle.stat();
    const actual = await hashFile(handle, size);
    if (actual !== sha256) {
      await this.#damage
        .mark({ kind, sha256, foundAt: this.#clock().toISOString(), actualSha256: actual, actualBytes: size })
        .catch(() => undefined);
      throw new IntegrityError(`the stored ${kind} ${sha256} does not hash to its address`);
    }
  }

  /** Passes the stream through, hashing it; a full read that doesn't match is recorded. */
  #watched(kind: BlobKind, sha256: string, source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    return hashingReader(source, async (actual, total) => {
      if (actual === sha256) return;
      const foundAt = this.#clock().toISOString();
      // Best effort: failing to write the record (a full disk) must not fail the read itself.
      await this.#damage
        .mark({ kind, sha256, foundAt, actualSha256: actual, actualBytes: total })
        .catch(() => undefined);
    });
  }

  #path(kind: BlobKind, sha256: string): string {
    return join(this.#dir, blobKey(kind, sha256));
  }
}

/**
 * Wraps the stream's own iterator rather than an async generator: a generator that is
 * returned before its first next() never runs its body, which would leave the file open.
 */
function hashingReader(
  source: AsyncIterable<Uint8Array>,
  atEnd: (sha256: string, bytes: number) => Promise<void>,
): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const inner = source[Symbol.asyncIterator]();
      const hash = createHash('sha256');
      let total = 0;
      let ended = false;
      return {
        async next() {
          const step = await inner.next();
          if (step.done) {
            if (!ended) await atEnd(hash.digest('hex'), total);
            ended = true;
            return step;
          }
          hash.update(step.value);
          total += step.value.byteLength;
          return step;
        },
        async return(value?: unknown) {
          return (await inner.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}

/** True when the file at `path` has the declared size and hashes to its address. */
async function holds(path: string, sha256: string, bytes: number): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    return size === bytes && (await hashFile(file, size)) === sha256;
  } finally {
    await file.close();
  }
}

/** Makes a new directory entry (link or rename) durable, not only the file's bytes. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Disk full, quota reached, or the process's file-size limit: the one typed error for all three. */
export function asStorageFull(error: unknown, doing: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !FULL_CODES.has(code)) return error;
  return new StorageFullError(`no space left ${doing} (${code})`, { cause: error });
}

function notFoundAsUndefined(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
