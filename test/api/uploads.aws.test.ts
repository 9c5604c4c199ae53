/**
 * The multipart upload API on the AWS backend (S3 on versitygw, DynamoDB on moto): the same
 * routes as embedded, with parts sent straight to S3, which checks each part's signed SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { tokenAuthenticator } from '../../functions/api/auth/token-authenticator.js';
import { createAwsBackend } from '../../functions/handlers/aws-backend.js';
import { awsUploads } from '../../functions/handlers/open-backend.js';
import { MIN_PART_BYTES } from '../../schemas/uploads.js';
import { freshAwsConfig, s3Client, uniqueName } from '../conformance/emulator-env.js';

const TOKEN = 'uploads-aws-admin-token-0123456789';
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const FILE = randomBytes(2 * MIN_PART_BYTES + 77);
const partOf = (n: number) => FILE.subarray((n - 1) * MIN_PART_BYTES, n * MIN_PART_BYTES);

describe('multipart uploads through the API on the AWS backend', () => {
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    const stagingBucket = uniqueName('api-staging');
    await s3Client().send(new CreateBucketCommand({ Bucket: stagingBucket }));
    const backend = await createAwsBackend(await freshAwsConfig('api-uploads'));
    app = createApp({
      version: '0.0.0-test',
      ...backend,
      uploads: await awsUploads(backend, stagingBucket),
      jobs: { dispatch: async () => undefined },
      authenticator: tokenAuthenticator({
        [TOKEN]: { actor: 'root', roles: ['reader', 'writer', 'deployer'] },
      }),
      presignSeconds: 900,
      log: () => undefined,
    });
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  async function sendPart(id: string, n: number, body: Uint8Array, signed = sha(body)) {
    const urls = await call('POST', `/v1/uploads/${id}/parts`, { parts: [{ number: n, sha256: signed }] });
    const { url, method, headers } = urls.json.parts[0];
    return fetch(url, { method, headers, body });
  }

  it('sends parts to S3, which refuses one that does not match its signed SHA-256, and publishes the verified file', async () => {
    const created = await call('POST', '/v1/uploads', {
      sha256: sha(FILE),
      bytes: FILE.byteLength,
      partBytes: MIN_PART_BYTES,
    });
    expect(created.status).toBe(201);
    const { id, partCount } = created.json.upload;
    expect(partCount).toBe(3);
    const wrong = Buffer.from(partOf(1));
    wrong[0] = wrong[0]! ^ 1;
    expect((await sendPart(id, 1, wrong, sha(partOf(1)))).status).toBe(400);
    for (const n of [1, 2, 3]) expect((await sendPart(id, n, partOf(n))).status).toBe(200);
    expect(
      (await call('GET', `/v1/uploads/${id}`)).json.parts.map((p: { sha256: string }) => p.sha256),
    ).toEqual([1, 2, 3].map((n) => sha(partOf(n))));
    const done = await call('POST', `/v1/uploads/${id}/complete`);
    expect(done.status).toBe(201);
    expect((await call('GET', `/v1/datasets/${sha(FILE)}`)).json).toMatchObject({
      bytes: FILE.byteLength,
      status: 'available',
    });
  });

  it('refuses a complete whose assembled file is another file, leaving the dataset pending', async () => {
    const claimed = sha(randomBytes(8));
    const created = await call('POST', '/v1/uploads', {
      sha256: claimed,
      bytes: FILE.byteLength,
      partBytes: MIN_PART_BYTES,
    });
    const { id } = created.json.upload;
    for (const n of [1, 2, 3]) await sendPart(id, n, partOf(n));
    const done = await call('POST', `/v1/uploads/${id}/complete`);
    expect({ status: done.status, code: done.json.code }).toEqual({
      status: 400,
      code: 'UPLOAD.HASH_MISMATCH',
    });
    expect((await call('GET', `/v1/datasets/${claimed}`)).json.status).toBe('pending');
    expect((await call('GET', `/v1/uploads/${id}`)).status).toBe(404);
  });
});
