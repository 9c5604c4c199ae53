/**
 * The AWS freeze's steps on either backend, for tests that run runFreezeStep in-process: the
 * conformance suite here, and the local execution of the synthesized state machine
 * (test/infra). Each backend is fresh (its own data dir, or its own buckets and table on the
 * emulators), with a work area of its own.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DynamoLineageStore } from '../../functions/adapters/aws/dynamo-lineage-store.js';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import { type ReadAheadOptions, readAheadOf } from '../../functions/adapters/aws/s3-read-ahead.js';
import { S3WorkArea } from '../../functions/adapters/aws/s3-work-area.js';
import { FsWorkArea } from '../../functions/adapters/local/fs-work-area.js';
import { datasetAddress } from '../../functions/core/dataset-files.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { serviceEnvironment } from '../../functions/handlers/service-environment.js';
import type { FreezeStepDeps } from '../../functions/jobs/freeze-steps-job.js';
import { embeddedStores } from './embedded-stores.js';
import {
  createLineageTable,
  createLockedBucket,
  dynamoClient,
  s3Client,
  uniqueName,
} from './emulator-env.js';

export type StepBackendName = 'embedded' | 'aws';

export interface FreezeStepBackend {
  readonly name: StepBackendName;
  readonly deps: FreezeStepDeps;
  /** aws: the data and work buckets on versitygw. */
  readonly buckets?: { readonly data: string; readonly work: string };
  close(): Promise<void>;
}

export interface EmulatorStepOptions {
  /** The blob store's multipart threshold (bytes). @default the store's (16 MiB) */
  readonly multipartThreshold?: number;
  /**
   * The stores' read-ahead and parts in flight, as the deployed steps have them (sized there
   * from memory); small ranges here so test datasets of KiB take several.
   * @default 3 streams of 4 KiB
   */
  readonly readAhead?: ReadAheadOptions;
}

/**
 * A shard budget that cuts test datasets of tens of KiB into several shards: shards of
 * 16 KiB (a thirty-second of it, freeze-sharded.ts shardLimits).
 */
export const TEST_SHARD_MEMORY = 512 * 1024;

/** Files and SQLite in a fresh temp dir, and a work area beside them. */
export async function embeddedStepBackend(shardMemory = TEST_SHARD_MEMORY): Promise<FreezeStepBackend> {
  const { dir, blobs, lineage, close } = await embeddedStores('splitvault-steps-');
  const work = new FsWorkArea(join(dir, 'work'));
  return {
    name: 'embedded',
    deps: { blobs, lineage, work, service: serviceEnvironment('steps-test'), shardMemory },
    close,
  };
}

/**
 * versitygw and moto (bash scripts/with-emulators.sh): a fresh locked data bucket, lineage
 * table, and a plain work bucket (no Object Lock, as lib/ provisions it).
 */
export async function emulatorStepBackend(
  shardMemory = TEST_SHARD_MEMORY,
  options: EmulatorStepOptions = {},
): Promise<FreezeStepBackend> {
  const s3 = s3Client();
  const dynamo = dynamoClient();
  const data = await createLockedBucket(s3, 'steps');
  const readAhead = readAheadOf(options.readAhead ?? { streams: 3, rangeBytes: 4096 });
  const blobs = await S3BlobStore.create({
    client: s3,
    bucket: data,
    stampRetention: true,
    readAhead,
    ...(options.multipartThreshold === undefined ? {} : { multipartThreshold: options.multipartThreshold }),
  });
  const lineage = new DynamoLineageStore({
    client: dynamo,
    tableName: await createLineageTable(dynamo, 'steps'),
  });
  const workBucket = uniqueName('steps-work');
  await s3.send(new CreateBucketCommand({ Bucket: workBucket }));
  const work = new S3WorkArea({ client: s3, bucket: workBucket, readAhead });
  return {
    name: 'aws',
    deps: { blobs, lineage, work, service: serviceEnvironment('steps-test'), shardMemory },
    buckets: { data, work: workBucket },
    async close() {
      s3.destroy();
      dynamo.destroy();
    },
  };
}

export function stepBackend(name: StepBackendName, shardMemory = TEST_SHARD_MEMORY) {
  return name === 'embedded' ? embeddedStepBackend(shardMemory) : emulatorStepBackend(shardMemory);
}

/**
 * Stores a dataset's files, registers it (as one file, or many when there are several) and
 * records a queued freeze job for it, as POST /v1/splits would. Answers the job id and the
 * dataset's address.
 */
export async function seedFreezeJob(
  deps: Pick<FreezeStepDeps, 'blobs' | 'lineage'>,
  files: readonly Uint8Array[],
  spec: Readonly<Record<string, unknown>>,
): Promise<{ readonly jobId: string; readonly dataset: string }> {
  const refs = files.map((bytes) => ({ sha256: sha256Hex(bytes), bytes: bytes.byteLength }));
  for (const [i, file] of files.entries())
    await deps.blobs.put('dataset', refs[i]!.sha256, file, file.byteLength);
  const bytes = refs.reduce((sum, ref) => sum + ref.bytes, 0);
  const dataset = files.length === 1 ? refs[0]!.sha256 : datasetAddress(refs);
  const at = new Date().toISOString();
  const many = files.length > 1 ? { files: refs.map((ref, i) => ({ ...ref, name: `part-${i}` })) } : {};
  await deps.lineage.registerDataset(
    { sha256: dataset, bytes, ...many, name: 'data', createdAt: at, createdBy: 'alice' },
    {
      id: randomUUID(),
      at,
      actor: 'alice',
      action: 'dataset.register',
      target: `dataset:${dataset}`,
      requestId: 'seed',
    },
  );
  const jobId = randomUUID();
  await deps.lineage.createJob({
    id: jobId,
    kind: 'freeze',
    state: 'queued',
    createdAt: at,
    updatedAt: at,
    actor: 'alice',
    input: { dataset, spec, requestId: `req-${jobId}` },
  });
  return { jobId, dataset };
}
