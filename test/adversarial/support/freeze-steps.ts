import { BackendUnavailableError } from '../../../functions/core/errors.js';
import type { LineageStore } from '../../../functions/core/ports.js';
import {
  type FreezePlanResult,
  type FreezeStepDeps,
  runFreezeStep,
} from '../../../functions/jobs/freeze-steps-job.js';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { Job } from '../../../schemas/records.js';

/** A CSV of `rows` rows: an `id` and a `label` of four classes. */
export function labelledCsv(rows: number): Uint8Array {
  const lines = ['id,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},c${i % 4}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/**
 * `lineage`, with each job write (swapJob) for which `throttle` answers true refused as a
 * DynamoDB throttle is: BACKEND.UNAVAILABLE, the error the freeze machine retries.
 */
export function throttleJobWrites(lineage: LineageStore, throttle: (job: Job) => boolean): LineageStore {
  return new Proxy(lineage, {
    get(target, key, receiver) {
      if (key === 'swapJob') {
        return async (job: Job, revision: number) => {
          if (throttle(job)) throw new BackendUnavailableError('throttled');
          return target.swapJob(job, revision);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const ORDER = ['scan', 'merge', 'summarize', 'assign', 'write', 'combine', 'manifest'] as const;

/**
 * Runs the plan step of job `jobId` and every step after it in the machine's order up to `last`
 * (each Map step's shards, and the three combines, one after the other), so a test can then run the next step itself.
 * Answers what the plan step answered (its `key` goes with every later step).
 */
export async function runStepsThrough(
  deps: FreezeStepDeps,
  jobId: string,
  last: (typeof ORDER)[number],
): Promise<FreezePlanResult> {
  const plan = (await runFreezeStep(deps, { phase: 'plan', jobId })) as FreezePlanResult;
  const { key } = plan;
  for (const phase of ORDER.slice(0, ORDER.indexOf(last) + 1)) {
    if (phase === 'combine')
      for (const split of SPLIT_NAMES) await runFreezeStep(deps, { phase, jobId, key, split });
    else if (phase === 'merge' || phase === 'assign' || phase === 'manifest')
      await runFreezeStep(deps, { phase, jobId, key });
    else
      for (let shard = 0; shard < plan.shards; shard++)
        await runFreezeStep(deps, { phase, jobId, key, shard });
  }
  return plan;
}
