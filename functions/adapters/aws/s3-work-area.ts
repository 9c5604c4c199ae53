/**
 * The WorkArea on S3: a bucket of its own, without Object Lock, whose lifecycle rule expires
 * the objects (lib/ provisions it). The functions have no delete right on it: expiry is the
 * cleanup. S3 checks each put's SHA-256 (x-amz-checksum-sha256) so a body damaged on the way
 * is refused rather than stored.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NotFoundError } from '../../core/errors.js';
import type { WorkArea, WorkLocation } from '../../core/ports.js';
import { workKey } from '../common/work-key.js';
import { rethrowSdkError } from './sdk-errors.js';

export interface S3WorkAreaOptions {
  readonly client: S3Client;
  readonly bucket: string;
}

export class S3WorkArea implements WorkArea {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: S3WorkAreaOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
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
      .catch((error: unknown) => {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if ((error as Error).name === 'NoSuchKey' || status === 404) {
          throw new NotFoundError('WORK.NOT_FOUND', `job ${jobId} has no work object ${name}`, {
            cause: error,
          });
        }
        return rethrowSdkError(error, `reading work object ${Key}`);
      });
    return output.Body!.transformToByteArray();
  }

  locate(jobId: string, name: string): WorkLocation {
    return { bucket: this.#bucket, key: workKey(jobId, name) };
  }
}
