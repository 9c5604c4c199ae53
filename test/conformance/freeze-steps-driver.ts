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
}

export interface DriveOutcome {
  /** The step whose error ended the run (and went to fail), if one did. */
  readonly failedAt?: string;
  readonly shards?: number;
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
  const step = (event: FreezeStepEvent) => {
    at = event.phase;
    return runFreezeStep(deps, event);
  };
  const map = async (phase: MapPhase, count: number) => {
    const order = options.order?.(phase, count) ?? Array.from({ length: count }, (_, i) => i);
    if (options.parallel) {
      await Promise.all(order.map((shard) => step({ phase, jobId, shard })));
      return;
    }
    for (const shard of order) await step({ phase, jobId, shard });
  };
  try {
    const plan = (await step({ phase: 'plan', jobId })) as FreezePlanResult;
    shards = plan.shards;
    await map('scan', plan.shards);
    await step({ phase: 'merge', jobId });
    await map('summarize', plan.shards);
    await step({ phase: 'assign', jobId });
    await map('write', plan.shards);
    // The machine combines the three split files at once (a Parallel state).
    const combines = SPLIT_NAMES.map((split) => ({ phase: 'combine', jobId, split }) as const);
    if (options.parallel) await Promise.all(combines.map(step));
    else for (const event of combines) await step(event);
    await step({ phase: 'manifest', jobId });
    await step({ phase: 'record', jobId });
    return { shards };
  } catch (error) {
    const failedAt = at;
    await runFreezeStep(deps, { phase: 'fail', jobId, error: caughtFromLambda(error) });
    return { failedAt, ...(shards === undefined ? {} : { shards }) };
  }
}
