/**
 * A stand-in for the state machine in tests: runs runFreezeStep in the machine's order (Plan,
 * ScanMap, Merge, SummarizeMap, Assign, WriteMap, Combine per split file, Manifest, Record),
 * and on any step's error
 * the fail step with what a Catch hands it from a Lambda (Error = the error's name, Cause =
 * the Lambda runtime's JSON of errorType, errorMessage and trace). The Map steps run their
 * shards in the order and with the repeats a test asks for: order must not matter, and a
 * retried shard step must do no harm.
 */

import {
  type FreezePlanResult,
  type FreezeStepDeps,
  type FreezeStepEvent,
  runFreezeStep,
} from '../../functions/jobs/freeze-steps-job.js';
import { SPLIT_NAMES } from '../../schemas/common.js';

type MapPhase = 'scan' | 'summarize' | 'write';

export interface DriveOptions {
  /** The order a Map step runs its shards in (indices may repeat: retries). @default 0..n-1 */
  readonly order?: (phase: MapPhase, shards: number) => readonly number[];
  /** Run a Map step's shards all at once instead of one after the other. @default false */
  readonly parallel?: boolean;
  /** Runs after each Map step, before the coordinator step that reads its results (a tamperer). */
  readonly between?: (phase: MapPhase, plan: FreezePlanResult) => Promise<void>;
}

export interface DriveOutcome {
  /** The step whose error ended the run (and went to fail), if one did. */
  readonly failedAt?: string;
  readonly shards?: number;
  /** The work key the plan answered, once it did. */
  readonly key?: string;
}

/** What a Catch puts in the fail step's input for an error thrown out of a Lambda. */
export function caughtFromLambda(error: unknown): { Error: string; Cause: string } {
  const e = error as Error;
  const errorType = e.name ?? 'Error';
  return {
    Error: errorType,
    Cause: JSON.stringify({ errorType, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }),
  };
}

export async function driveFreezeSteps(
  deps: FreezeStepDeps,
  jobId: string,
  options: DriveOptions = {},
): Promise<DriveOutcome> {
  let at = 'plan';
  let shards: number | undefined;
  let key: string | undefined;
  const step = (event: FreezeStepEvent) => {
    at = event.phase;
    return runFreezeStep(deps, event);
  };
  const map = async (phase: MapPhase, key: string, count: number) => {
    const order = options.order?.(phase, count) ?? Array.from({ length: count }, (_, i) => i);
    if (options.parallel) {
      await Promise.all(order.map((shard) => step({ phase, jobId, key, shard })));
      return;
    }
    for (const shard of order) await step({ phase, jobId, key, shard });
  };
  try {
    // Every later step gets the work key the plan answered, as the machine's state hands it on.
    const plan = (await step({ phase: 'plan', jobId })) as FreezePlanResult;
    const workKey = plan.key;
    key = workKey;
    shards = plan.shards;
    await map('scan', key, plan.shards);
    await options.between?.('scan', plan);
    await step({ phase: 'merge', jobId, key });
    await map('summarize', key, plan.shards);
    await options.between?.('summarize', plan);
    await step({ phase: 'assign', jobId, key });
    await map('write', key, plan.shards);
    await options.between?.('write', plan);
    // The machine combines the three split files at once (a Parallel state).
    const combines = SPLIT_NAMES.map((split) => ({ phase: 'combine', jobId, key: workKey, split }) as const);
    if (options.parallel) await Promise.all(combines.map(step));
    else for (const event of combines) await step(event);
    await step({ phase: 'manifest', jobId, key });
    await step({ phase: 'record', jobId, key });
    return { shards, key };
  } catch (error) {
    const failedAt = at;
    await runFreezeStep(deps, { phase: 'fail', jobId, error: caughtFromLambda(error) });
    return { failedAt, ...(shards === undefined ? {} : { shards }), ...(key === undefined ? {} : { key }) };
  }
}
