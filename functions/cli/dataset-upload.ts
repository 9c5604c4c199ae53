/**
 * How the CLI sends a dataset the store lacks: one presigned PUT up to the threshold, the
 * multipart upload API above it (parallel parts, retries, resume). A service without the
 * multipart API (404) still takes files up to one PUT's 5 GiB the old way.
 */
import { createReadStream } from 'node:fs';
import { MAX_DATASET_BYTES } from '../../schemas/api.js';
import { ApiError } from '../client/api-error.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './context.js';

/** Files larger than this go through the multipart API. */
export const MULTIPART_THRESHOLD_BYTES = 256 * 1024 ** 2;

/** Upload tuning from the environment; every field optional. */
export interface UploadSettings {
  /** SPLITVAULT_MULTIPART_THRESHOLD (bytes). @default MULTIPART_THRESHOLD_BYTES */
  readonly thresholdBytes: number;
  /** SPLITVAULT_PART_BYTES: a smaller part size to ask for. @default the service's plan */
  readonly partBytes?: number;
  /** SPLITVAULT_UPLOAD_CONCURRENCY: parts in flight. @default 4 */
  readonly concurrency: number;
}

/** Reads the upload settings; a value that is not a positive integer is a usage error. */
export function uploadSettings(env: Readonly<Record<string, string | undefined>>): UploadSettings {
  const read = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new CliError('CLI.BAD_SETTING', `${name} must be a positive integer, got "${raw}"`, {
        exitCode: 2,
      });
    }
    return value;
  };
  const partBytes = read('SPLITVAULT_PART_BYTES');
  return {
    thresholdBytes: read('SPLITVAULT_MULTIPART_THRESHOLD') ?? MULTIPART_THRESHOLD_BYTES,
    concurrency: read('SPLITVAULT_UPLOAD_CONCURRENCY') ?? 4,
    ...(partBytes === undefined ? {} : { partBytes }),
  };
}

export interface DatasetFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly name: string;
  readonly mediaType?: string;
}

/** Registers the dataset and sends its bytes if the store lacks them; true when it sent any. */
export async function uploadDatasetFile(ctx: CommandContext, file: DatasetFile): Promise<boolean> {
  const settings = ctx.uploads ?? uploadSettings({});
  const { path, ...described } = file;
  if (file.bytes > settings.thresholdBytes) {
    const created = await ctx.client
      .createUpload({ ...described, ...(settings.partBytes ? { partBytes: settings.partBytes } : {}) })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404 && file.bytes <= MAX_DATASET_BYTES)
          return undefined;
        if (error instanceof ApiError && error.status === 404) {
          throw new CliError(
            'CLI.MULTIPART_UNAVAILABLE',
            `the service takes no uploads over ${MAX_DATASET_BYTES} bytes`,
            {
              cause: error,
            },
          );
        }
        throw error;
      });
    if (created) {
      if (!created.upload) return false;
      ctx.progress.start(file.bytes, 'uploading');
      await ctx.client.uploadMultipart(created.upload, path, {
        concurrency: settings.concurrency,
        onProgress: (sent) => ctx.progress.update(sent),
      });
      ctx.progress.stop();
      return true;
    }
  }
  const created = await ctx.client.createDataset(described);
  if (!created.upload) return false;
  ctx.progress.start(file.bytes, 'uploading');
  await ctx.client.uploadDataset(created.upload, createReadStream(path), file.bytes, (sent) =>
    ctx.progress.update(sent),
  );
  ctx.progress.stop();
  return true;
}
