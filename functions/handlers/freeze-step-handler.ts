/**
 * What the two freeze functions share: their deps from the environment, and a handler that
 * checks the event (and that its phase is one this function runs) before running the step.
 */
import { FreezeStepEvent } from '../../schemas/freeze-step.js';
import { readAheadFor } from '../adapters/aws/s3-read-ahead.js';
import { S3WorkArea } from '../adapters/aws/s3-work-area.js';
import type { Config } from '../config.js';
import { type FreezeStepDeps, type FreezeStepResult, runFreezeStep } from '../jobs/freeze-steps-job.js';
import { createAwsBackend, type InstrumentClient } from './aws-backend.js';
import { serviceEnvironment } from './service-environment.js';

/**
 * The steps' deps on AWS (or the emulators): the blob store and lineage table of the service,
 * the work bucket (SPLITVAULT_WORK_BUCKET) and the shard function's memory
 * (SPLITVAULT_SHARD_MEMORY, else this function's own). Both freeze functions have that memory.
 * With `readAhead` (the coordinator's) the stores read and upload through several S3 requests
 * at once, sized from it (readAheadFor): one request streams about 90 MB/s, and the plan and
 * combine walk whole datasets and split files in one function. A shard step reads one shard:
 * its read is a small part of its time, and a thousand shard steps reading ahead would
 * multiply the GETs on one dataset's key.
 */
export async function freezeStepDepsFromConfig(
  config: Config,
  instrument?: InstrumentClient,
  options: { readonly readAhead?: boolean } = {},
): Promise<FreezeStepDeps> {
  if (!config.workBucket) throw new Error('SPLITVAULT_WORK_BUCKET is required by the freeze steps');
  if (config.shardMemory === undefined) {
    throw new Error('SPLITVAULT_SHARD_MEMORY is required by the freeze steps outside Lambda');
  }
  const readAhead = options.readAhead ? readAheadFor(config.shardMemory) : undefined;
  const { blobs, lineage, s3 } = await createAwsBackend(config, undefined, instrument, readAhead);
  return {
    blobs,
    lineage,
    work: new S3WorkArea({ client: s3, bucket: config.workBucket, ...(readAhead ? { readAhead } : {}) }),
    service: serviceEnvironment(config.gitCommit),
    shardMemory: config.shardMemory,
    maxDecodedBytes: config.maxDecodedBytes,
  };
}

/** A handler over given deps that runs only `phases` (the other function's are refused). */
export function createFreezeStepHandler(
  deps: FreezeStepDeps,
  phases: readonly string[],
): (event: unknown) => Promise<FreezeStepResult> {
  return async (raw) => {
    const event = FreezeStepEvent.parse(raw);
    if (!phases.includes(event.phase)) {
      throw new Error(`this function runs the ${phases.join(', ')} steps, not ${event.phase}`);
    }
    return runFreezeStep(deps, event);
  };
}

/** A Lambda entry point for `phases`, its deps built once per cold start (a failed one is retried). */
export function freezeStepEntry(
  phases: readonly string[],
  build: () => Promise<FreezeStepDeps>,
): (event: unknown) => Promise<FreezeStepResult> {
  let built: Promise<(event: unknown) => Promise<FreezeStepResult>> | undefined;
  return async (event) => {
    built ??= build()
      .then((deps) => createFreezeStepHandler(deps, phases))
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return (await built)(event);
  };
}
