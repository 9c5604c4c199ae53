/**
 * The passes between plan and combine: the per-shard steps (scan, summarize, write; one shard
 * each, in any order, any number of times) and the coordinator's folds of their results in
 * shard order (merge, assign), where refusals such as SPEC.SHUFFLE_TOO_LARGE come out.
 */
import { SPLIT_NAMES } from '../../schemas/common.js';
import {
  assignFreeze,
  mergeFreeze,
  type ShardSlice,
  scanFreezeShard,
  sliceOf,
  summarizeFreezeShard,
  writeFreezeShard,
} from '../core/shard/freeze-steps.js';
import type { MergedScan, ShardScan } from '../core/shard/shard-ingest.js';
import type { ShardSummary } from '../core/shard/sharded-assign.js';
import type { FreezeStepDeps } from './freeze-steps-job.js';
import { type PlannedFreeze, sourceOf } from './freeze-steps-plan.js';
import { noteProgress, stepsJob } from './freeze-steps-state.js';
import { FreezeWork } from './freeze-work.js';

/** What the assign step leaves for the combine besides the slices: the manifest's counts and shares. */
export interface AssignedFreeze {
  readonly counts: Readonly<Record<'train' | 'validation' | 'test', number>>;
  readonly classShares?: ReturnType<typeof assignFreeze>['classShares'];
}

/** Every shard's result of `phase`, in shard order. */
async function allShards<T>(work: FreezeWork, phase: 'scan' | 'summarize', shards: number): Promise<T[]> {
  const out: T[] = [];
  for (let shard = 0; shard < shards; shard++) out.push(await work.get<T>(phase, shard));
  return out;
}

export async function scanStep(deps: FreezeStepDeps, jobId: string, key: string, shard: number) {
  const work = new FreezeWork(deps.work, jobId, key);
  const planned = await work.get<PlannedFreeze>('plan');
  await work.put('scan', await scanFreezeShard(sourceOf(deps, planned), planned.plan, shard), shard);
  return { jobId };
}

export async function mergeStep(deps: FreezeStepDeps, jobId: string, key: string) {
  await stepsJob(deps, jobId);
  const work = new FreezeWork(deps.work, jobId, key);
  const planned = await work.get<PlannedFreeze>('plan');
  const scans = await allShards<ShardScan>(work, 'scan', planned.plan.shards.length);
  await work.put('merge', mergeFreeze(planned.plan, scans, planned.spec));
  const bytes = planned.dataset.bytes;
  await noteProgress(deps, jobId, { stage: 'ingest', done: bytes, total: bytes });
  return { jobId };
}

export async function summarizeStep(deps: FreezeStepDeps, jobId: string, key: string, shard: number) {
  const work = new FreezeWork(deps.work, jobId, key);
  const planned = await work.get<PlannedFreeze>('plan');
  const merged = await work.get<MergedScan>('merge');
  const summary = await summarizeFreezeShard(
    sourceOf(deps, planned),
    planned.plan,
    merged,
    planned.spec,
    shard,
  );
  await work.put('summarize', summary, shard);
  return { jobId };
}

/** The assignment from every summary, in shard order (the combine redoes it for a shuffle). */
export async function assignmentOf(work: FreezeWork, planned: PlannedFreeze, merged: MergedScan) {
  const summaries = await allShards<ShardSummary>(work, 'summarize', planned.plan.shards.length);
  const totalBytes = planned.files.reduce((sum, file) => sum + file.bytes, 0);
  return assignFreeze(totalBytes, merged, summaries, planned.spec, planned.limits);
}

export async function assignStep(deps: FreezeStepDeps, jobId: string, key: string) {
  await stepsJob(deps, jobId);
  const work = new FreezeWork(deps.work, jobId, key);
  const planned = await work.get<PlannedFreeze>('plan');
  const merged = await work.get<MergedScan>('merge');
  const assignment = await assignmentOf(work, planned, merged);
  // A shuffled freeze is written whole by the combine, which needs no slices.
  if (!planned.spec.shuffle) {
    for (let shard = 0; shard < planned.plan.shards.length; shard++) {
      await work.put('assign', sliceOf(assignment, shard), shard);
    }
  }
  const assigned: AssignedFreeze = {
    counts: assignment.counts,
    ...(assignment.classShares ? { classShares: assignment.classShares } : {}),
  };
  await work.put('assign', assigned);
  await noteProgress(deps, jobId, { stage: 'assign', done: merged.rows, total: merged.rows });
  return { jobId };
}

/** One shard's part of every split file, each split's part its own object (the combine streams one file at a time). */
export async function writeStep(deps: FreezeStepDeps, jobId: string, key: string, shard: number) {
  const work = new FreezeWork(deps.work, jobId, key);
  const planned = await work.get<PlannedFreeze>('plan');
  if (planned.spec.shuffle) return { jobId };
  const merged = await work.get<MergedScan>('merge');
  const slice = await work.get<ShardSlice>('assign', shard);
  const { parts, dictionaries } = await writeFreezeShard(
    sourceOf(deps, planned),
    planned.plan,
    merged,
    slice,
  );
  for (const split of SPLIT_NAMES) {
    await work.put('write', { part: parts[split], ...(dictionaries ? { dictionaries } : {}) }, shard, split);
  }
  return { jobId };
}
