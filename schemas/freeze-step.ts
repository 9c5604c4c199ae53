/**
 * The events the AWS freeze's state machine sends its two functions (lib/ builds the machine;
 * functions/jobs/freeze-steps-job.ts runs them). Checked once, in the Lambda entries.
 */
import * as z from 'zod';
import { SplitName } from './common.js';

const JobId = z.string().min(1).max(128);
const Shard = z.number().int().nonnegative().max(10_000_000);
/** The execution's work key the plan step drew (functions/jobs/freeze-work.ts): 256 bits in hex. */
const WorkKey = z.string().regex(/^[0-9a-f]{64}$/);

export const FreezeStepEvent = z.discriminatedUnion('phase', [
  // The key the machine drew before plan (any case: States.Hash's hex), the same on every attempt.
  z.object({
    phase: z.literal('plan'),
    jobId: JobId,
    key: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional(),
  }),
  z.object({ phase: z.enum(['scan', 'summarize', 'write']), jobId: JobId, key: WorkKey, shard: Shard }),
  z.object({ phase: z.enum(['merge', 'assign', 'manifest', 'record']), jobId: JobId, key: WorkKey }),
  // One split file per invocation, the three at once.
  z.object({ phase: z.literal('combine'), jobId: JobId, key: WorkKey, split: SplitName }),
  z.object({
    phase: z.literal('fail'),
    jobId: JobId,
    // What a Catch with ResultPath puts there: Step Functions' own names, both optional.
    error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }),
  }),
]);
