/**
 * The BlobStore on S3 with Object Lock. Keys are `datasets/sha256/<hex>` and
 * `artifacts/sha256/<hex>.arrow`. Small bodies are one PutObject that S3 itself verifies
 * (x-amz-checksum-sha256) and that can't replace anything (If-None-Match: *); large or
 * streamed ones go through ./s3-multipart-upload.ts. Retention comes from the bucket's
 * default Object Lock rule, so the functions need no s3:PutObjectRetention permission.
 * An existing object counts as stored only when S3's own SHA-256 checksum vouches for it
 * (./s3-checksums.ts), never on the writer-set `sha256` metadata; reads and signed GETs are
 * bound to the object version that was checked.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { IntegrityError, NotFoundError, ValidationError } from '../../core/errors.js';
import type {
  BlobInfo,
  BlobKind,
  BlobStore,
  ByteRange,
  PresignedRequest,
  PresignGetOptions,
} from '../../core/ports.js';
import { blobKey, contentDisposition, hexToBase64 } from '../common/blob-address.js';
import { checksumVerdict, hashParts, versionOf } from './s3-checksums.js';
import { multipartUpload } from './s3-multipart-upload.js';
import { type DefaultRetention, readDefaultRetention } from './s3-object-lock.js';
import type { ReadAhead, SpanChunk } from './s3-read-ahead.js';
import { rethrowSdkError } from './sdk-errors.js';

export interface S3BlobStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Bodies above this many bytes (and streams above it) use multipart upload. @default 16 MiB */
  readonly multipartThreshold?: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /**
   * Send the bucket's default retention with every put instead of relying on S3 to apply
   * it. Only for emulators that don't apply a bucket default (versitygw 1.8 doesn't): on
   * AWS it would need s3:PutObjectRetention, which the deployed functions don't have.
   * @default false
   */
  readonly stampRetention?: boolean;
  /**
   * Reads longer than one range go through that many ranged GETs at once (./s3-read-ahead.ts),
   * and a multipart upload keeps as many 8 MiB parts in flight: memory is streams × range
   * bytes for a read and streams × 8 MiB for an upload. The freeze steps size it from their
   * memory (readAheadFor).
   * @default one GET per read, one part at a time
   */
  readonly readAhead?: ReadAhead;
}

const CONTENT_TYPES: Readonly<Record<BlobKind, string>> = {
  dataset: 'application/octet-stream',
  artifact: 'application/vnd.apache.arrow.file',
  identities: 'application/octet-stream',
  leakage: 'application/json',
};

const DAY_MS = 86_400_000;
const INTEGRITY_CODES = new Set(['BadDigest', 'XAmzContentChecksumMismatch', 'InvalidDigest']);

/** The AWS BlobStore; build it with S3BlobStore.create so the bucket is checked first. */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #threshold: number;
  readonly #clock: () => Date;
  readonly #retention: DefaultRetention;
  readonly #stampRetention: boolean;
  readonly #readAhead: ReadAhead | undefined;

  private constructor(options: S3BlobStoreOptions, retention: DefaultRetention) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#threshold = options.multipartThreshold ?? 16 * 1024 * 1024;
    this.#clock = options.clock ?? (() => new Date());
    this.#retention = retention;
    this.#stampRetention = options.stampRetention ?? false;
    this.#readAhead = options.readAhead;
  }

  /** Refuses (BLOB.BUCKET_NOT_LOCKED) a bucket without Object Lock and a default retention. */
  static async create(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    return new S3BlobStore(options, await readDefaultRetention(options.client, options.bucket));
  }

  async put(
    kind: BlobKind,
    sha256: string,
    body: Uint8Array | AsyncIterable<Uint8Array>,
    bytes: number,
  ): Promise<{ readonly created: boolean }> {
    const Key = blobKey(kind, sha256);
    assertSize(bytes);
    const common = {
      Bucket: this.#bucket,
      Key,
      ContentType: CONTENT_TYPES[kind],
      Metadata: { sha256 },
      ...(this.#stampRetention
        ? {
            ObjectLockMode: this.#retention.mode,
            ObjectLockRetainUntilDate: new Date(this.#clock().getTime() + this.#retention.days * DAY_MS),
          }
        : {}),
    };
    if (bytes > this.#threshold) {
      const chunks = body instanceof Uint8Array ? [body] : body;
      const existing = await this.#head(Key);
      if (existing !== undefined) {
        // Already stored: hash what we were given, then make S3's checksum vouch for the object.
        const given = await hashParts(chunks, sha256, bytes);
        return this.#confirmExisting(Key, sha256, given.composite);
      }
      const outcome = await multipartUpload(
        {
          client: this.#client,
          create: common,
          sha256,
          bytes,
          ...(this.#readAhead ? { partsInFlight: this.#readAhead.streams } : {}),
        },
        chunks,
      );
      return outcome.created ? { created: true } : this.#confirmExisting(Key, sha256, outcome.composite);
    }
    const Body = body instanceof Uint8Array ? body : await collect(body, bytes, sha256);
    if (Body.byteLength !== bytes) throw sizeMismatch(sha256, bytes, Body.byteLength);
    try {
      await this.#client.send(
        new PutObjectCommand({
          ...common,
          Body,
          ContentLength: bytes,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: hexToBase64(sha256),
          IfNoneMatch: '*',
        }),
      );
      return { created: true };
    } catch (error) {
      const name = (error as Error).name;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (INTEGRITY_CODES.has(name)) {
        throw new IntegrityError(`S3 refused bytes that do not hash to ${sha256}`, { cause: error });
      }
      // 412: already stored; 409: a concurrent conditional put of the same key is in flight.
      if (status === 412 || status === 409) {
        const given = await hashParts([Body], sha256, bytes);
        return this.#confirmExisting(Key, sha256, given.composite, status === 409);
      }
      return rethrowSdkError(error, `storing ${Key}`);
    }
  }

  async head(kind: BlobKind, sha256: string): Promise<BlobInfo | undefined> {
    const output = await this.#head(blobKey(kind, sha256));
    if (output === undefined) return undefined;
    const retainUntil = output.ObjectLockRetainUntilDate?.toISOString();
    return { kind, sha256, bytes: output.ContentLength ?? 0, ...(retainUntil ? { retainUntil } : {}) };
  }

  /**
   * Reads the version a HEAD just saw, so the whole read is of one version. A checksum that
   * disagrees with the address is not refused here: callers hash what they read, and verify
   * must see the changed bytes to report them. With readAhead, a read longer than one range is
   * several ranged GETs of that version at once, in order.
   */
  async open(kind: BlobKind, sha256: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array>> {
    const Key = blobKey(kind, sha256);
    const head = await this.#head(Key);
    const VersionId = versionOf(head);
    const notFound = (error: unknown): never => {
      if ((error as Error).name === 'NoSuchKey' || httpStatus(error) === 404) {
        throw new NotFoundError('BLOB.NOT_FOUND', `no ${kind} stored under ${sha256}`, { cause: error });
      }
      return rethrowSdkError(error, `reading ${Key}`);
    };
    if (this.#readAhead && head !== undefined) {
      const size = head.ContentLength ?? 0;
      const start = range?.start ?? 0;
      const end = Math.min(size, range === undefined ? size : range.end + 1);
      if (end - start > this.#readAhead.rangeBytes) {
        const span = { Bucket: this.#bucket, Key, ...(VersionId ? { VersionId } : {}), start, end };
        return bytesOf(this.#readAhead.read(this.#client, [span], notFound));
      }
    }
    const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
    const output = await this.#client
      .send(new GetObjectCommand({ Bucket: this.#bucket, Key, VersionId, ...(Range ? { Range } : {}) }))
      .catch(notFound);
    // In Node the SDK's body is a Readable, which is an AsyncIterable of Buffers.
    return output.Body as unknown as AsyncIterable<Uint8Array>;
  }

  /** The URL names one object version (see #pinnedVersion), so it can never serve a later one. */
  async presignGet(kind: BlobKind, sha256: string, options: PresignGetOptions): Promise<PresignedRequest> {
    const VersionId = await this.#pinnedVersion(kind, sha256);
    const command = new GetObjectCommand({
      Bucket: this.#bucket,
      Key: blobKey(kind, sha256),
      VersionId,
      ...(options.filename === undefined
        ? {}
        : { ResponseContentDisposition: contentDisposition(options.filename) }),
    });
    const { expiresAt, ...timing } = this.#timing(options.expiresIn);
    const url = await getSignedUrl(this.#client, command, timing);
    return { url, method: 'GET', headers: {}, expiresAt };
  }

  /**
   * Signs the checksum, length and If-None-Match headers, so S3 refuses any other bytes at
   * that URL and the upload can only create the object, never add a version over it (the
   * bucket policy refuses a put without If-None-Match; see lib/vault-storage.ts).
   */
  async presignPut(
    sha256: string,
    bytes: number,
    options: { readonly expiresIn: number },
  ): Promise<PresignedRequest> {
    assertSize(bytes);
    const headers = {
      'content-length': String(bytes),
      'x-amz-checksum-sha256': hexToBase64(sha256),
      'if-none-match': '*',
    };
    const command = new PutObjectCommand({
      Bucket: this.#bucket,
      Key: blobKey('dataset', sha256),
      ContentLength: bytes,
      ChecksumSHA256: headers['x-amz-checksum-sha256'],
      IfNoneMatch: '*',
    });
    const signed = new Set(Object.keys(headers));
    const { expiresAt, ...timing } = this.#timing(options.expiresIn);
    const url = await getSignedUrl(this.#client, command, {
      ...timing,
      signableHeaders: signed,
      unhoistableHeaders: signed,
    });
    return { url, method: 'PUT', headers, expiresAt };
  }

  /**
   * The key exists: it is ours only if S3's own checksum matches the bytes we hold (the
   * address, or the composite of their parts). Without a SHA-256 checksum (an object written
   * some other way) the object is read back and hashed; writer-set metadata is never trusted.
   */
  async #confirmExisting(
    Key: string,
    sha256: string,
    composite: string,
    wait = false,
  ): Promise<{ readonly created: boolean }> {
    for (let attempt = 0; attempt < (wait ? 20 : 1); attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      const output = await this.#head(Key);
      if (output === undefined) continue;
      const verdict = checksumVerdict(output, sha256, composite);
      if (verdict === 'match') return { created: false };
      if (verdict === 'unknown') {
        const stored = await this.#client
          .send(new GetObjectCommand({ Bucket: this.#bucket, Key, VersionId: output.VersionId }))
          .catch((error: unknown) => rethrowSdkError(error, `reading back ${Key}`));
        const body = stored.Body as unknown as AsyncIterable<Uint8Array>;
        const actual = await hashParts(body, undefined, undefined);
        if (actual.sha256 === sha256) return { created: false };
      }
      throw new IntegrityError(`the object stored at ${Key} does not hash to ${sha256}`);
    }
    throw new IntegrityError(`S3 reported ${Key} as present but it can't be read back`);
  }

  /**
   * The version a read or a signed URL is bound to: the one a HEAD sees now, refused when
   * S3's full-object SHA-256 of it disagrees with the address. Nothing is pinned for a
   * missing key (the read or URL then answers 404 as before) or in a bucket without
   * versioning (some emulators), which has no version id.
   */
  async #pinnedVersion(kind: BlobKind, sha256: string): Promise<string | undefined> {
    const Key = blobKey(kind, sha256);
    const output = await this.#head(Key);
    if (output !== undefined && checksumVerdict(output, sha256) === 'mismatch') {
      throw new IntegrityError(`the object stored at ${Key} does not hash to ${sha256}`);
    }
    return versionOf(output);
  }

  async #head(Key: string): Promise<HeadObjectCommandOutput | undefined> {
    return this.#client
      .send(new HeadObjectCommand({ Bucket: this.#bucket, Key, ChecksumMode: 'ENABLED' }))
      .catch((error: unknown) =>
        httpStatus(error) === 404 ? undefined : rethrowSdkError(error, `inspecting ${Key}`),
      );
  }

  /**
   * X-Amz-Date has whole seconds (the signer drops the fraction), so the lifetime is counted
   * from that second and rounded up: the URL never dies before `expiresIn` seconds from now.
   */
  #timing(expiresIn: number): { signingDate: Date; expiresIn: number; expiresAt: string } {
    const signingDate = this.#clock();
    const signedSecond = Math.floor(signingDate.getTime() / 1000);
    const expires = Math.ceil((signingDate.getTime() + expiresIn * 1000) / 1000);
    return {
      signingDate,
      expiresIn: expires - signedSecond,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }
}

async function* bytesOf(chunks: AsyncIterable<SpanChunk>): AsyncGenerator<Uint8Array> {
  for await (const { bytes } of chunks) yield bytes;
}

async function collect(body: AsyncIterable<Uint8Array>, bytes: number, sha256: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > bytes) throw sizeMismatch(sha256, bytes, total);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sizeMismatch(sha256: string, expected: number, actual: number): IntegrityError {
  return new IntegrityError(`blob ${sha256} was declared as ${expected} bytes but ${actual} arrived`, {
    details: { expectedBytes: expected, actualBytes: actual },
  });
}

function assertSize(bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new ValidationError('BLOB.INVALID_SIZE', `blob size must be a non-negative integer, got ${bytes}`);
  }
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}
