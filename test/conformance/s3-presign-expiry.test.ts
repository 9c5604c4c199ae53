/**
 * The S3 store's presigned lifetimes, checked offline: presigning needs credentials but no
 * network, and the one S3 call made at construction (the Object Lock check) is answered by a
 * middleware, removed before presigning.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { sha } from './records.js';

const now = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 999));

async function storeAt(clock: () => Date): Promise<S3BlobStore> {
  const client = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  client.middlewareStack.add(
    () => async () => ({
      output: {
        $metadata: {},
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      },
      response: {},
    }),
    { step: 'initialize', name: 'answerObjectLock' },
  );
  const store = await S3BlobStore.create({ client, bucket: 'bucket', clock });
  client.middlewareStack.remove('answerObjectLock');
  return store;
}

/** When the URL stops working: X-Amz-Date (whole seconds) plus X-Amz-Expires. */
function expiryOf(url: string): number {
  const query = new URL(url).searchParams;
  const date = (query.get('X-Amz-Date') ?? '').replace(
    /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/,
    '$1-$2-$3T$4:$5:$6Z',
  );
  return Date.parse(date) + Number(query.get('X-Amz-Expires')) * 1000;
}

it('rounds presigned lifetimes up, so an S3 URL never dies before the lifetime asked for', async () => {
  const store = await storeAt(() => now);
  for (const request of [
    await store.presignGet('artifact', sha('a'), { expiresIn: 60 }),
    await store.presignPut(sha('b'), 10, { expiresIn: 60 }),
  ]) {
    const expires = expiryOf(request.url);
    expect(expires).toBeGreaterThanOrEqual(now.getTime() + 60_000);
    expect(expires).toBeLessThan(now.getTime() + 61_000);
    expect(Date.parse(request.expiresAt)).toBe(expires);
  }
});
