import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { MAX_WAIT_SECONDS } from '../../schemas/api.js';
import type { Job } from '../../schemas/records.js';
import type { AppEnv } from './context.js';
import type { AppDeps, JobFacts } from './deps.js';
import { toProblem } from './problem.js';

/** Records a queued job (routed by the dispatcher, given what is known of its size) and hands it over. */
export async function submitJob(
  c: Context<AppEnv>,
  deps: AppDeps,
  kind: Job['kind'],
  input: Record<string, unknown>,
  facts: JobFacts = {},
): Promise<Job> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const queued: Job = {
    id: randomUUID(),
    kind,
    state: 'queued',
    createdAt: at,
    updatedAt: at,
    actor: c.get('identity').actor,
    input: { ...input, requestId: c.get('requestId') },
  };
  const job = deps.jobs.route?.(queued, facts) ?? queued;
  await deps.lineage.createJob(job);
  try {
    await deps.jobs.dispatch(job);
  } catch (err) {
    // The client is told to submit again, so this record must not run later (on a restart).
    const failed: Job = { ...job, state: 'failed', problem: toProblem(err), updatedAt: job.updatedAt };
    await deps.lineage.updateJob(failed).catch(() => undefined);
    throw err;
  }
  return job;
}

/** Re-reads the job until it finishes or `seconds` pass; answers its latest state. */
export async function waitForJob(deps: AppDeps, job: Job, seconds: number): Promise<Job> {
  const deadline = Date.now() + Math.min(seconds, deps.maxWaitSeconds ?? MAX_WAIT_SECONDS) * 1000;
  const poll = deps.waitPollMs ?? 200;
  let latest = job;
  while (Date.now() < deadline) {
    latest = (await deps.lineage.getJob(job.id)) ?? latest;
    if (latest.state === 'succeeded' || latest.state === 'failed') return latest;
    await new Promise((resolve) => setTimeout(resolve, Math.min(poll, Math.max(0, deadline - Date.now()))));
  }
  return (await deps.lineage.getJob(job.id)) ?? latest;
}
