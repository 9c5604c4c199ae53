import type { Job } from '../../../schemas/records.js';
import type { CommandContext } from '../context.js';

/** Polls a job with the client's backoff, showing the state and elapsed time on stderr. */
export async function waitWithProgress(ctx: CommandContext, jobId: string, label: string): Promise<Job> {
  ctx.progress.start(1, label);
  try {
    const job = await ctx.client.waitForJob(jobId, {
      onPoll: (polled, elapsed) =>
        ctx.progress.update(
          polled.state === 'succeeded' ? 1 : 0,
          `${polled.state} ${Math.round(elapsed / 1000)}s`,
        ),
    });
    return job;
  } finally {
    ctx.progress.stop();
  }
}
