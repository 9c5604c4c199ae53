/**
 * The sharded freeze as the steps of the AWS state machine (lib/ builds it): Plan → ScanMap →
 * Merge → SummarizeMap → Assign → WriteMap → Combine (one per split file, at once) → Manifest →
 * Record, and Fail from every Catch. Each
 * step is one call of runFreezeStep in a fresh process: it reads what earlier steps left in the
 * work area, runs one step of core/shard/freeze-steps.ts, and leaves its result there under its
 * own name, so a retried step overwrites the same object and any shard may run in any order.
 * Backend-agnostic: the Lambda entries (handlers/freeze-*-lambda.ts) and the tests give the
 * deps.
 */
import type { SplitName } from '../../schemas/common.js';
import type { Environment } from '../../schemas/records.js';
import { SplitvaultError } from '../core/errors.js';
import type { BlobStore, LineageStore, WorkArea, WorkLocation } from '../core/ports.js';
import { budgetRefusal, shardLimits } from './freeze-sharded.js';
import { stepError } from './freeze-step-error.js';
import { combineStep, manifestStep } from './freeze-steps-combine.js';
import { assignStep, mergeStep, scanStep, summarizeStep, writeStep } from './freeze-steps-passes.js';
import { AWS_MEMORY_SETTING, planStep } from './freeze-steps-plan.js';
import { failStep, recordStep } from './freeze-steps-record.js';

/**
 * A step's event. Every step after plan carries `key`, the execution's work key that plan
 * answered (freeze-work.ts): the state machine passes it from its state, so it is never in the
 * work area, the job record or the logs.
 */
export type FreezeStepEvent =
  | { readonly phase: 'plan'; readonly jobId: string; readonly key?: string | undefined }
  | {
      readonly phase: 'scan' | 'summarize' | 'write';
      readonly jobId: string;
      readonly key: string;
      readonly shard: number;
    }
  | {
      readonly phase: 'merge' | 'assign' | 'manifest' | 'record';
      readonly jobId: string;
      readonly key: string;
    }
  | { readonly phase: 'combine'; readonly jobId: string; readonly key: string; readonly split: SplitName }
  | {
      readonly phase: 'fail';
      readonly jobId: string;
      readonly error: { readonly Error?: string; readonly Cause?: string };
    };

/** What the plan step answers: the Map states read `items` (a JSON array in the work area). */
export interface FreezePlanResult {
  readonly jobId: string;
  readonly shards: number;
  readonly items: WorkLocation;
  /** The execution's work key (64 hex digits), for every later step's event. */
  readonly key: string;
}

/**
 * plan answers { jobId, shards, items: { bucket, key }, key }: items is a JSON array
 * [{"jobId":…,"shard":0},…] the Map's ItemReader reads; other phases answer { jobId } (small:
 * Step Functions payloads are ≤ 256 KiB).
 */
export type FreezeStepResult = FreezePlanResult | { readonly jobId: string };

/** What the steps run on. */
export interface FreezeStepDeps {
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  /** Where steps leave their results for later steps (not the Object Lock bucket). */
  readonly work: WorkArea;
  /** The service's fingerprint, recorded on the freeze event. */
  readonly service: Environment;
  /**
   * Bytes of memory of the function that runs the shard steps: the plan cuts shards to this
   * budget (freeze-sharded.ts shardLimits), so a scan, summarize or write fits in it.
   */
  readonly shardMemory: number;
  /** Decoded bytes a shard may hold, if tighter than the budget's share. @default the budget's */
  readonly maxDecodedBytes?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Where failures of the service (not of the dataset) are reported. @default JSON line on stderr */
  readonly log?: (line: Readonly<Record<string, unknown>>) => void;
}

/** The phases each function runs (the state machine invokes each with only these). */
export const COORDINATOR_PHASES = [
  'plan',
  'merge',
  'assign',
  'combine',
  'manifest',
  'record',
  'fail',
] as const;
export const SHARD_PHASES = ['scan', 'summarize', 'write'] as const;

/**
 * Runs one step of a freeze. A failure is thrown as a FreezeStepError whose name is the stable
 * code and whose message is the problem the job will carry (freeze-step-error.ts), which the
 * state machine's Catch hands to the `fail` step.
 */
export async function runFreezeStep(deps: FreezeStepDeps, event: FreezeStepEvent): Promise<FreezeStepResult> {
  try {
    switch (event.phase) {
      case 'plan':
        return await planStep(deps, event.jobId, event.key);
      case 'scan':
        return await scanStep(deps, event.jobId, event.key, event.shard);
      case 'merge':
        return await mergeStep(deps, event.jobId, event.key);
      case 'summarize':
        return await summarizeStep(deps, event.jobId, event.key, event.shard);
      case 'assign':
        return await assignStep(deps, event.jobId, event.key);
      case 'write':
        return await writeStep(deps, event.jobId, event.key, event.shard);
      case 'combine':
        return await combineStep(deps, event.jobId, event.key, event.split);
      case 'manifest':
        return await manifestStep(deps, event.jobId, event.key);
      case 'record':
        return await recordStep(deps, event.jobId, event.key);
      case 'fail':
        return await failStep(deps, event.jobId, event.error);
    }
  } catch (error) {
    // The problem hides what a service failure was (integrity, outage, a bug): log it here,
    // where the step ran, as executeJob does for the one-process job.
    if (!(error instanceof SplitvaultError) || error.kind === 'integrity' || error.kind === 'unavailable') {
      (deps.log ?? ((line) => console.error(JSON.stringify(line))))({
        level: 'error',
        jobId: event.jobId,
        phase: event.phase,
        error: error instanceof Error ? error.name : 'unknown',
        message: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
      });
    }
    // A shard refused by the step's own memory names the setting that would admit it.
    const byMemory =
      shardLimits(deps.shardMemory).maxDecodedBytes < (deps.maxDecodedBytes ?? Number.POSITIVE_INFINITY);
    throw stepError(
      budgetRefusal(
        error,
        byMemory,
        `raise ${AWS_MEMORY_SETTING} (a shard step decodes up to a quarter of it)`,
      ),
    );
  }
}
