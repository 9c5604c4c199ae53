/**
 * The `freeze-coordinator` function of the AWS freeze's state machine: the plan, merge,
 * assign, combine, record and fail steps (functions/jobs/freeze-steps-job.ts).
 */
import { loadConfig } from '../config.js';
import { COORDINATOR_PHASES } from '../jobs/freeze-steps-job.js';
import { freezeStepDepsFromConfig, freezeStepEntry } from './freeze-step-handler.js';

// The plan and combine walk whole datasets and split files: they read and upload wide.
export const handler = freezeStepEntry(COORDINATOR_PHASES, () =>
  freezeStepDepsFromConfig(loadConfig(), undefined, { readAhead: true }),
);
