import type { Job } from '../../schemas/records.js';
import type { JobDispatcher, JobFacts } from '../api/deps.js';
import type { StepFunctionsDispatcher } from './step-functions-dispatcher.js';

export interface FreezeRoutingOptions {
  /** Runs every job the machine doesn't: the worker Lambda. */
  readonly worker: JobDispatcher;
  /** Starts the freeze state machine. */
  readonly machine: StepFunctionsDispatcher;
  /** Largest dataset (bytes) the worker freezes in one process (SPLITVAULT_SHARDED_FREEZE_BYTES). */
  readonly shardedFreezeBytes: number;
}

/**
 * Whether a job is a freeze too big for one worker. A quarter of the worker's memory is where
 * the one-process engine could run out (needsShards in functions/jobs/freeze-sharded.ts); past
 * it the state machine freezes the dataset in shards, with the same bytes.
 */
export function runsOnMachine(job: Job, facts: JobFacts, shardedFreezeBytes: number): boolean {
  return job.kind === 'freeze' && facts.datasetBytes !== undefined && facts.datasetBytes > shardedFreezeBytes;
}

/**
 * The API Lambda's dispatcher: a freeze of a big dataset starts the freeze state machine,
 * anything else goes to the worker. The choice is made once, when the job is recorded, and
 * kept in it (`executionArn`), so a later dispatch of the same record goes the same way and the
 * job's reader sees where it runs; the caller sees the same 202 and job either way.
 */
export class FreezeRoutingDispatcher implements JobDispatcher {
  constructor(private readonly options: FreezeRoutingOptions) {}

  route(job: Job, facts: JobFacts): Job {
    if (!runsOnMachine(job, facts, this.options.shardedFreezeBytes)) return job;
    return { ...job, executionArn: this.options.machine.executionArn(job.id) };
  }

  dispatch(job: Job): Promise<void> {
    return job.executionArn ? this.options.machine.dispatch(job) : this.options.worker.dispatch(job);
  }
}
