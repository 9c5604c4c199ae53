/**
 * Issue 2: the emulators behave like the AWS features splitvault relies on. Raw SDK calls
 * only, no product code, so a failure here points at the emulator, not at an adapter.
 */
import { createHash } from 'node:crypto';
import {
  CreateTableCommand,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLockedBucket,
  dynamoClient,
  requireEmulators,
  s3Client,
  uniqueName,
} from '../conformance/emulator-env.js';

const body = Buffer.from('split,row\ntrain,1\n');
const checksum = createHash('sha256').update(body).digest('base64');

describe('versitygw as S3', () => {
  const s3 = s3Client();
  let bucket: string;
  let versionId: string;

  beforeAll(async () => {
    requireEmulators();
    bucket = await createLockedBucket(s3, 'smoke');
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'k',
        Body: body,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: checksum,
        IfNoneMatch: '*',
      }),
    );
    expect(put.ChecksumSHA256).toBe(checksum);
    versionId = put.VersionId!;
  });
  afterAll(() => s3.destroy());

  it('refuses a second conditional put to the same key with 412', async () => {
    await expect(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: body, IfNoneMatch: '*' })),
    ).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
  });

  it('refuses a put whose body does not match its declared SHA-256', async () => {
    await expect(
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'other',
          Body: Buffer.from('tampered'),
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: checksum,
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
  });

  it('refuses to delete the retained version', async () => {
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: versionId })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('serves a presigned GET and refuses it with one signature character changed', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'k' }), { expiresIn: 60 });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
    const altered = url.replace(
      /(X-Amz-Signature=[0-9a-f]*)([0-9a-f])/,
      (_m, head: string, last: string) => `${head}${last === '0' ? '1' : '0'}`,
    );
    expect(altered).not.toBe(url);
    expect((await fetch(altered)).status).toBe(403);
  });

  it('refuses an expired presigned GET', async () => {
    const signingDate = new Date(Date.now() - 2 * 3_600_000);
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'k' }), {
      expiresIn: 60,
      signingDate,
    });
    expect((await fetch(url)).status).toBe(403);
  });
});

describe('moto as DynamoDB', () => {
  const ddb = dynamoClient();
  afterAll(() => ddb.destroy());

  it('writes neither item of a transaction whose second condition fails', async () => {
    const table = uniqueName('smoke');
    await ddb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const failure = await ddb
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: { S: 'first' } } } },
            {
              Put: {
                TableName: table,
                Item: { pk: { S: 'second' } },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ],
        }),
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    expect((failure as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
    ]);
    for (const pk of ['first', 'second']) {
      const got = await ddb.send(
        new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }),
      );
      expect(got.Item).toBeUndefined();
    }
  });
});
