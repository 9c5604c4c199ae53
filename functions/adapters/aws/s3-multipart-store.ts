/**
 * Multipart uploads on AWS, staged in a bucket WITHOUT Object Lock (an upload staged in the
 * locked bucket could never be deleted), whose lifecycle rules abort incomplete uploads and
 * expire staged objects. Each part URL signs `x-amz-checksum-sha256`, so S3 verifies every
 * part. complete() assembles the parts in the staging bucket, then streams the staged object
 * once into the locked store's put (S3BlobStore: per-part SHA-256, a hash of the whole stream,
 * If-None-Match), which writes to the content address only bytes that hash to it; then the
 * staged object is deleted, match or not.
 * The upload id names its plan: `<sha256>.<bytes>.<partBytes>.<createdAt s>.<S3 upload id>`.
 * It is not trusted for anything S3 doesn't confirm: the key is built from it and S3 refuses
 * an upload id that doesn't belong to that key, and the whole-file hash is checked anyway.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  type Part,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { IntegrityError } from '../../core/errors.js';
import type { BlobPutResult, BlobStore, PresignedRequest } from '../../core/ports.js';
import {
  assembledMismatch,
  existingPartSize,
  partCount,
  requireAllParts,
} from '../../core/upload/part-plan.js';
import type { MultipartStore, StagedPart, UploadPlan } from '../../core/upload/ports.js';
import { hexToBase64 } from '../common/blob-address.js';
import { rethrowSdkError } from './sdk-errors.js';

export interface S3MultipartStoreOptions {
  readonly client: S3Client;
  /** The staging bucket: no Object Lock, lifecycle rules for abandoned uploads. */
  readonly bucket: string;
  /** Where completed uploads are published (the locked bucket's store). */
  readonly blobs: BlobStore;
  /** How long an upload may stay incomplete; the bucket's lifecycle rule matches it. @default 7 days */
  readonly ttlSeconds?: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

const ID = /^([0-9a-f]{64})\.(\d{1,16})\.(\d{1,16})\.(\d{1,12})\.([A-Za-z0-9_-]{1,800})$/;
const NO_UPLOAD = new Set(['NoSuchUpload', 'NoSuchKey', 'NotFound']);

/** The AWS MultipartStore. */
export class S3MultipartStore implements MultipartStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #blobs: BlobStore;
  readonly #ttlMs: number;
  readonly #clock: () => Date;

  constructor(options: S3MultipartStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#blobs = options.blobs;
    this.#ttlMs = (options.ttlSeconds ?? 7 * 86_400) * 1000;
    this.#clock = options.clock ?? (() => new Date());
  }

  async start(sha256: string, bytes: number, partBytes: number): Promise<UploadPlan> {
    const prefix = `uploads/${sha256}/${bytes}-${partBytes}-`;
    const listed = await this.#client
      .send(new ListMultipartUploadsCommand({ Bucket: this.#bucket, Prefix: prefix }))
      .catch((error: unknown) => rethrowSdkError(error, `listing uploads of ${sha256}`));
    for (const found of listed.Uploads ?? []) {
      const created = Number(found.Key?.slice(prefix.length));
      const plan = this.#plan(sha256, bytes, partBytes, created, found.UploadId ?? '');
      if (plan && Date.parse(plan.expiresAt) > this.#clock().getTime()) return plan;
    }
    const created = Math.floor(this.#clock().getTime() / 1000);
    const started = await this.#client
      .send(
        new CreateMultipartUploadCommand({
          Bucket: this.#bucket,
          Key: `${prefix}${created}`,
          ChecksumAlgorithm: 'SHA256',
          ChecksumType: 'COMPOSITE',
        }),
      )
      .catch((error: unknown) => rethrowSdkError(error, `starting an upload of ${sha256}`));
    return this.#plan(sha256, bytes, partBytes, created, started.UploadId ?? '')!;
  }

  async get(id: string): Promise<UploadPlan | undefined> {
    const plan = parse(id, this.#ttlMs);
    if (!plan || Date.parse(plan.expiresAt) < this.#clock().getTime()) return undefined;
    // S3 confirms the upload exists under the key the id names, or that it was assembled by a
    // complete that failed before publishing (then complete can be retried).
    if ((await this.#parts(plan, 1)) !== undefined || (await this.#assembled(plan))) return plan;
    return undefined;
  }

  async presignPart(
    plan: UploadPlan,
    number: number,
    sha256: string,
    options: { readonly expiresIn: number },
  ): Promise<PresignedRequest> {
    const bytes = existingPartSize(plan, number);
    const headers = { 'content-length': String(bytes), 'x-amz-checksum-sha256': hexToBase64(sha256) };
    const command = new UploadPartCommand({
      Bucket: this.#bucket,
      ...locate(plan),
      PartNumber: number,
      ContentLength: bytes,
      ChecksumSHA256: headers['x-amz-checksum-sha256'],
    });
    const signed = new Set(Object.keys(headers));
    const signingDate = this.#clock();
    const url = await getSignedUrl(this.#client, command, {
      signingDate,
      expiresIn: options.expiresIn,
      signableHeaders: signed,
      unhoistableHeaders: signed,
    });
    const expiresAt = new Date(signingDate.getTime() + options.expiresIn * 1000).toISOString();
    return { url, method: 'PUT', headers, expiresAt };
  }

  async listParts(plan: UploadPlan): Promise<readonly StagedPart[]> {
    return ((await this.#parts(plan)) ?? []).map((part) => ({
      number: part.PartNumber ?? 0,
      bytes: part.Size ?? 0,
      sha256: Buffer.from(part.ChecksumSHA256 ?? '', 'base64').toString('hex'),
    }));
  }

  async complete(plan: UploadPlan): Promise<BlobPutResult> {
    if (!(await this.#assembled(plan))) await this.#assemble(plan);
    const { Key } = locate(plan);
    let result: BlobPutResult;
    try {
      const staged = await this.#client
        .send(new GetObjectCommand({ Bucket: this.#bucket, Key }))
        .catch((error: unknown) => rethrowSdkError(error, `reading staged upload ${plan.id}`));
      result = await this.#blobs.put(
        'dataset',
        plan.sha256,
        staged.Body as AsyncIterable<Uint8Array>,
        plan.bytes,
      );
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      // The parts are the client's bytes and they are not the dataset: no retry can fix them.
      await this.#discard(Key);
      throw assembledMismatch(plan.sha256, error);
    }
    // Published, the staged object is only a copy. A failed put (S3 unavailable) keeps it, so
    // complete can be retried without sending the parts again.
    await this.#discard(Key);
    return result;
  }

  /** Checks every part is there at its planned size and has S3 assemble them. */
  async #assemble(plan: UploadPlan): Promise<void> {
    const parts = new Map(((await this.#parts(plan)) ?? []).map((part) => [part.PartNumber, part]));
    const completed = requireAllParts(plan, parts, (part) => part.Size).map((part) => ({
      PartNumber: part.PartNumber,
      ETag: part.ETag,
      ChecksumSHA256: part.ChecksumSHA256,
    }));
    await this.#client
      .send(
        new CompleteMultipartUploadCommand({
          Bucket: this.#bucket,
          ...locate(plan),
          MultipartUpload: { Parts: completed },
        }),
      )
      .catch((error: unknown) => rethrowSdkError(error, `assembling upload ${plan.id}`));
  }

  /** Whether a complete already had S3 assemble this upload into the staged object. */
  async #assembled(plan: UploadPlan): Promise<boolean> {
    return this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: locate(plan).Key })).then(
      () => true,
      (error: unknown) => {
        if (NO_UPLOAD.has((error as { name?: string }).name ?? '')) return false;
        return rethrowSdkError(error, `looking for the assembled upload ${plan.id}`);
      },
    );
  }

  async #discard(Key: string): Promise<void> {
    // Best effort: the staging bucket's lifecycle rule expires what this misses.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key })).catch(() => undefined);
  }

  async abort(id: string): Promise<void> {
    const plan = parse(id, this.#ttlMs);
    if (!plan) return;
    await this.#discard(locate(plan).Key);
    await this.#client
      .send(new AbortMultipartUploadCommand({ Bucket: this.#bucket, ...locate(plan) }))
      .catch((error: unknown) => {
        if (!NO_UPLOAD.has((error as { name?: string }).name ?? '')) rethrowSdkError(error, `aborting ${id}`);
      });
  }

  /** The upload's parts (at most `limit`), or undefined when S3 has no such upload. */
  async #parts(plan: UploadPlan, limit = Number.POSITIVE_INFINITY): Promise<Part[] | undefined> {
    const parts: Part[] = [];
    let marker: string | undefined;
    do {
      const page = await this.#client
        .send(
          new ListPartsCommand({
            Bucket: this.#bucket,
            ...locate(plan),
            MaxParts: Math.min(1000, limit),
            ...(marker ? { PartNumberMarker: marker } : {}),
          }),
        )
        .catch((error: unknown) => {
          if (NO_UPLOAD.has((error as { name?: string }).name ?? '')) return undefined;
          return rethrowSdkError(error, `listing the parts of ${plan.id}`);
        });
      if (!page) return undefined;
      parts.push(...(page.Parts ?? []));
      marker = page.IsTruncated && parts.length < limit ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return parts;
  }

  #plan(sha256: string, bytes: number, partBytes: number, created: number, uploadId: string) {
    const token = Buffer.from(uploadId).toString('base64url');
    return parse(`${sha256}.${bytes}.${partBytes}.${created}.${token}`, this.#ttlMs);
  }
}

/** The plan an id names, or undefined for an id this store never made. */
function parse(id: string, ttlMs: number): UploadPlan | undefined {
  const match = ID.exec(id);
  if (!match) return undefined;
  const [, sha256, bytes, partBytes, created] = match as unknown as [string, string, string, string, string];
  const createdAt = new Date(Number(created) * 1000);
  return {
    id,
    sha256,
    bytes: Number(bytes),
    partBytes: Number(partBytes),
    partCount: partCount(Number(bytes), Number(partBytes)),
    createdAt: createdAt.toISOString(),
    expiresAt: new Date(createdAt.getTime() + ttlMs).toISOString(),
  };
}

function locate(plan: UploadPlan): { Key: string; UploadId: string } {
  const [, , , , created, token] = ID.exec(plan.id) as unknown as string[];
  return {
    Key: `uploads/${plan.sha256}/${plan.bytes}-${plan.partBytes}-${created}`,
    UploadId: Buffer.from(token!, 'base64url').toString(),
  };
}
