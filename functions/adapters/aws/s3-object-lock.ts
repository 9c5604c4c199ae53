/**
 * Reads the bucket's default Object Lock retention. The blob store refuses to start without
 * one: immutability is the product's promise, and a bucket that could lose a frozen split
 * must fail at startup, not in an audit a year later.
 */
import { GetObjectLockConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import { SplitvaultError } from '../../core/errors.js';
import { rethrowSdkError } from './sdk-errors.js';

export interface DefaultRetention {
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly days: number;
}

export async function readDefaultRetention(client: S3Client, bucket: string): Promise<DefaultRetention> {
  const output = await client
    .send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))
    .catch((error: unknown) => {
      if ((error as Error).name === 'ObjectLockConfigurationNotFoundError') return undefined;
      return rethrowSdkError(error, `reading the Object Lock configuration of bucket ${bucket}`);
    });
  const config = output?.ObjectLockConfiguration;
  const retention = config?.Rule?.DefaultRetention;
  const days = retention?.Days ?? (retention?.Years === undefined ? undefined : retention.Years * 365);
  if (config?.ObjectLockEnabled !== 'Enabled' || retention?.Mode === undefined || days === undefined) {
    throw new SplitvaultError(
      'unavailable',
      'BLOB.BUCKET_NOT_LOCKED',
      `bucket ${bucket} must have Object Lock enabled with a default retention (mode and days or years); ` +
        `found ${JSON.stringify(config ?? null)}`,
    );
  }
  return { mode: retention.Mode, days };
}
