/**
 * The WorkArea on S3: a bucket of its own, without Object Lock, whose lifecycle rule expires
 * the objects (lib/ provisions it). The functions have no delete right on it: expiry is the
 * cleanup. S3 checks each put's SHA-256 (x-amz-checksum-sha256) so a body damaged on the way
 * is refused rather than stored. With readAhead, getEach reads a list of objects through
 * several ranged GETs at once (./s3-read-ahead.ts).
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { concatBytes } from '../../core/concat-bytes.js';
import { NotFoundError } from '../../core/errors.js';
import type { WorkArea, WorkLocation } from '../../core/ports.js';
import { workKey } from '../common/work-key.js';
import type { ReadAhead } from './s3-read-ahead.js';
import { rethrowSdkError } from './sdk-errors.js';

export interface S3WorkAreaOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /**
   * getEach's read-ahead: memory is streams × range bytes, plus the object being assembled.
   * @default one whole GET per object, in turn
   */
  readonly readAhead?: ReadAhead;
}

export class S3WorkArea implements WorkArea {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #readAhead: ReadAhead | undefined;

  constructor(options: S3WorkAreaOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#readAhead = options.readAhead;
  }

  async put(jobId: string, name: string, body: Uint8Array): Promise<void> {
    const Key = workKey(jobId, name);
    await this.#client
      .send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key,
          Body: body,
          ContentLength: body.byteLength,
          ChecksumAlgorithm: 'SHA256',
        }),
      )
      .catch((error: unknown) => rethrowSdkError(error, `storing work object ${Key}`));
  }

  async get(jobId: string, name: string): Promise<Uint8Array> {
    const Key = workKey(jobId, name);
    const output = await this.#client
      .send(new GetObjectCommand({ Bucket: this.#bucket, Key }))
      .catch((error: unknown) => readFailure(error, jobId, name));
    return output.Body!.transformToByteArray();
  }

  async *getEach(jobId: string, names: readonly string[]): AsyncGenerator<Uint8Array> {
    if (this.#readAhead === undefined) {
      for (const name of names) yield await this.get(jobId, name);
      return;
    }
    const spans = names.map((name) => ({ Bucket: this.#bucket, Key: workKey(jobId, name) }));
    const fail = (error: unknown, span: { Key: string }) =>
      readFailure(error, jobId, names[spans.findIndex((s) => s.Key === span.Key)]!);
    let current = 0;
    let pieces: Uint8Array[] = [];
    for await (const { span, bytes } of this.#readAhead.read(this.#client, spans, fail)) {
      // Ranges come in order: the first of the next object means this one is whole.
      for (; current < span; current++) {
        yield concatBytes(pieces);
        pieces = [];
      }
      pieces.push(bytes);
    }
    for (; current < names.length; current++) {
      yield concatBytes(pieces);
      pieces = [];
    }
  }

  locate(jobId: string, name: string): WorkLocation {
    return { bucket: this.#bucket, key: workKey(jobId, name) };
  }
}

function readFailure(error: unknown, jobId: string, name: string): never {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if ((error as Error).name === 'NoSuchKey' || status === 404) {
    throw new NotFoundError('WORK.NOT_FOUND', `job ${jobId} has no work object ${name}`, {
      cause: error,
    });
  }
  return rethrowSdkError(error, `reading work object ${workKey(jobId, name)}`);
}
