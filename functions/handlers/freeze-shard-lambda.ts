/**
 * The `freeze-shard` function of the AWS freeze's state machine: the scan, summarize and write
 * steps of one shard each, run as the items of Distributed Map states
 * (functions/jobs/freeze-steps-job.ts).
 */
import { loadConfig } from '../config.js';
import { SHARD_PHASES } from '../jobs/freeze-steps-job.js';
import { freezeStepDepsFromConfig, freezeStepEntry } from './freeze-step-handler.js';

export const handler = freezeStepEntry(SHARD_PHASES, () => freezeStepDepsFromConfig(loadConfig()));
