import type { Job } from '../../../schemas/records.js';
import type { CommandContext } from '../context.js';

/**
 * Polls a job with the client's backoff. The bar follows the job's stage: a new bar for each
 * stage (done/total in its units), and until the first stage is recorded one for the job's
 * state and elapsed time.
 */
export async function waitWithProgress(ctx: CommandContext, jobId: string, label: string): Promise<Job> {
  let shown: string | undefined;
  const show = (name: string, total: number) => {
    if (shown === name) return;
    shown = name;
    ctx.progress.start(total, name);
  };
  show(label, 1);
  try {
    return await ctx.client.waitForJob(jobId, {
      onPoll: (polled, elapsed) => {
        ctx.onJobPoll?.(polled, elapsed);
        const seconds = `${polled.state} ${Math.round(elapsed / 1000)}s`;
        if (polled.progress) {
          show(polled.progress.stage, polled.progress.total);
          ctx.progress.update(polled.progress.done, seconds);
        } else {
          ctx.progress.update(polled.state === 'succeeded' ? 1 : 0, seconds);
        }
      },
    });
  } finally {
    ctx.progress.stop();
  }
}
