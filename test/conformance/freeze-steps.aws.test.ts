import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey } from '../../functions/adapters/common/blob-address.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SpecRequest } from '../../schemas/spec.js';
import { csvDataset } from '../api/support/dataset.js';
import { s3Client } from './emulator-env.js';
import { emulatorStepBackend, type FreezeStepBackend, seedFreezeJob } from './freeze-steps-backends.js';
import { defineFreezeStepsConformance } from './freeze-steps-conformance.js';
import { driveFreezeSteps } from './freeze-steps-driver.js';
import { defineFreezeStepsForgery } from './freeze-steps-forgery-conformance.js';

defineFreezeStepsConformance('aws', 'S3 on versitygw and DynamoDB on moto');
defineFreezeStepsForgery('aws', 'S3 on versitygw and DynamoDB on moto');

describe("the AWS freeze's combine step past the multipart threshold", () => {
  let backend: FreezeStepBackend;
  beforeAll(async () => {
    backend = await emulatorStepBackend(undefined, { multipartThreshold: 1024 });
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('streams each split file into S3 as a multipart upload that completes only under its address', async () => {
    const data = csvDataset(4000);
    const spec = { strategy: 'random', seed: 2, ratios: { train: 0.8, validation: 0.1, test: 0.1 } };
    const { jobId } = await seedFreezeJob(backend.deps, [data.bytes], spec);
    expect(await driveFreezeSteps(backend.deps, jobId)).not.toHaveProperty('failedAt');
    const { manifest } = await splitDataset(
      data.bytes,
      { sha256: data.sha256, bytes: data.bytes.byteLength },
      SpecRequest.parse(spec),
    );
    expect((await backend.deps.lineage.getJob(jobId))?.manifestId).toBe(manifest.id);
    const s3 = s3Client();
    for (const split of Object.values(manifest.splits)) {
      expect(split.bytes).toBeGreaterThan(1024);
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: backend.buckets!.data, Key: blobKey('artifact', split.sha256) }),
      );
      // A multipart object's ETag ends in the count of its parts.
      expect(head.ETag).toMatch(/-\d+"?$/);
      const chunks: Uint8Array[] = [];
      for await (const chunk of await backend.deps.blobs.open('artifact', split.sha256)) chunks.push(chunk);
      expect(sha256Hex(Buffer.concat(chunks))).toBe(split.sha256);
    }
    s3.destroy();
  });
});
