/**
 * The plan step: claims the job for the state machine, checks the stored dataset whole (as
 * every freeze does before reading it by range), cuts it into shards to the shard function's
 * budget, and writes the plan and the Map states' item list to the work area.
 */
import type { DatasetFileRecord } from '../../schemas/dataset-file.js';
import type { SplitSpec } from '../../schemas/spec.js';
import { IntegrityError, NotFoundError } from '../core/errors.js';
import { type FreezeLimits, planFreeze } from '../core/shard/freeze-steps.js';
import type { ShardPlan } from '../core/shard/plan.js';
import type { DatasetSource } from '../core/shard/source.js';
import type { DatasetRef, FilesDatasetRef } from '../core/split-dataset.js';
import { notUploaded, refuseUnshardable } from './freeze.js';
import { blobSource, hashStoredDataset, shardLimits } from './freeze-sharded.js';
import type { FreezePlanResult, FreezeStepDeps } from './freeze-steps-job.js';
import { claimForSteps, noteProgress } from './freeze-steps-state.js';
import { drawWorkKey, FreezeWork } from './freeze-work.js';
import { FreezeJobInput } from './job-input.js';

/** The name of the Map states' item list in the work area (plain JSON, read by Step Functions). */
export const ITEMS_NAME = 'items.json';

/**
 * What lets an AWS freeze do more: the freeze functions' memory (the construct's
 * workerMemorySize), which sizes shards and also the size past which a freeze leaves the
 * one-process worker for the state machine.
 */
export const AWS_MEMORY_SETTING = "the construct's workerMemorySize";

/** What the plan step leaves for every later step: all they need besides their own inputs. */
export interface PlannedFreeze {
  /** The dataset as the manifest names it. */
  readonly dataset: DatasetRef | FilesDatasetRef;
  /** The stored files, in row order, read by range. */
  readonly files: readonly { readonly sha256: string; readonly bytes: number }[];
  readonly spec: SplitSpec;
  readonly limits: FreezeLimits;
  readonly plan: ShardPlan;
}

/** The dataset's files as a source of ranged reads. */
export function sourceOf(deps: Pick<FreezeStepDeps, 'blobs'>, planned: PlannedFreeze): DatasetSource {
  return blobSource(deps.blobs, planned.files);
}

function datasetRef(sha256: string, bytes: number, files: readonly DatasetFileRecord[] | undefined) {
  return files
    ? { sha256, bytes, files: files.map((f) => ({ sha256: f.sha256, bytes: f.bytes })) }
    : { sha256, bytes };
}

/**
 * The plan step. `drawn` is the work key the state machine drew before it: every attempt of a
 * retried plan gets the same one, so an attempt whose answer was lost and whose plan lands last
 * still wrote it under the key the later steps hold. Without one (a driver, not the machine) a
 * fresh key is drawn.
 */
export async function planStep(
  deps: FreezeStepDeps,
  jobId: string,
  drawn?: string,
): Promise<FreezePlanResult> {
  const job = await claimForSteps(deps, jobId);
  const input = FreezeJobInput.parse(job.input);
  refuseUnshardable(input, deps.shardMemory, AWS_MEMORY_SETTING);
  const record = await deps.lineage.getDataset(input.dataset);
  if (!record) throw new NotFoundError('DATASET.NOT_FOUND', `no dataset ${input.dataset}`);
  await noteProgress(deps, jobId, { stage: 'upload-check', done: 0, total: record.bytes });
  const { sha256: address } = await hashStoredDataset(deps.blobs, record).catch(notUploaded(input, record));
  if (address !== input.dataset) {
    throw new IntegrityError(`stored dataset ${input.dataset} hashes to ${address}`);
  }
  const budget = shardLimits(deps.shardMemory);
  const limits: FreezeLimits = {
    ...budget,
    maxDecodedBytes: Math.min(budget.maxDecodedBytes, deps.maxDecodedBytes ?? Number.POSITIVE_INFINITY),
    ...(record.files ? { labels: record.files.map((f) => ({ sha256: f.sha256, name: f.name })) } : {}),
  };
  const files = record.files ?? [{ sha256: record.sha256, bytes: record.bytes }];
  const partial = {
    dataset: datasetRef(record.sha256, record.bytes, record.files),
    files,
    spec: input.spec,
    limits,
  };
  const plan = await planFreeze(blobSource(deps.blobs, files), input.spec, limits);
  const planned: PlannedFreeze = { ...partial, plan };
  // Lower case, as every later step's event carries it.
  const key = drawn?.toLowerCase() ?? drawWorkKey();
  await new FreezeWork(deps.work, jobId, key).put('plan', planned);
  const items = plan.shards.map((_, shard) => ({ jobId, shard }));
  await deps.work.put(jobId, ITEMS_NAME, new TextEncoder().encode(JSON.stringify(items)));
  await noteProgress(deps, jobId, { stage: 'ingest', done: 0, total: record.bytes });
  return { jobId, shards: plan.shards.length, items: deps.work.locate(jobId, ITEMS_NAME), key };
}
