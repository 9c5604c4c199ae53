import { describe, expect, it } from 'vitest';
import { waitWithProgress } from '../../functions/cli/commands/wait.js';
import type { CommandContext } from '../../functions/cli/context.js';
import { jobPollLines, type Progress } from '../../functions/cli/progress.js';
import type { SplitvaultClient } from '../../functions/client/index.js';
import type { Job, JobProgress } from '../../schemas/records.js';

const at = '2030-01-01T00:00:00.000Z';
const job = (state: Job['state'], progress?: JobProgress): Job => ({
  id: 'job-1',
  kind: 'freeze',
  state,
  createdAt: at,
  updatedAt: at,
  actor: 'bob',
  input: {},
  ...(progress ? { progress } : {}),
});

/** A job seen queued, then in three stages, then done. */
const POLLS: Job[] = [
  job('queued'),
  job('running', { stage: 'ingest', done: 0, total: 900 }),
  job('running', { stage: 'ingest', done: 900, total: 900 }),
  job('running', { stage: 'encode', done: 2, total: 3 }),
  job('succeeded', { stage: 'record', done: 4, total: 4 }),
];

function context(lines: string[] = [], json = false) {
  const bars: string[] = [];
  const values: number[] = [];
  const progress: Progress = {
    start: (_total, label) => bars.push(label),
    update: (value) => values.push(value),
    stop: () => undefined,
  };
  const client = {
    waitForJob: async (_id: string, options?: { onPoll?: (job: Job, elapsed: number) => void }) => {
      for (const [i, polled] of POLLS.entries()) options?.onPoll?.(polled, i * 1000);
      return POLLS.at(-1)!;
    },
  } as unknown as SplitvaultClient;
  const ctx: CommandContext = {
    client,
    progress,
    cwd: '/',
    version: '0.0.0',
    stdout: process.stdout,
    ...(json ? { onJobPoll: jobPollLines({ write: (text: string) => lines.push(text) > 0 }) } : {}),
  };
  return { ctx, bars, values };
}

describe('waiting for a job', () => {
  it('shows one bar for the wait and then one per stage the job reports, with its units done', async () => {
    const { ctx, bars, values } = context();
    await waitWithProgress(ctx, 'job-1', 'freezing');
    expect(bars).toEqual(['freezing', 'ingest', 'encode', 'record']);
    expect(values).toEqual([0, 0, 900, 2, 4]);
  });

  it('writes every poll under --json as a JSON line holding the state and the stage', async () => {
    const lines: string[] = [];
    const { ctx } = context(lines, true);
    await waitWithProgress(ctx, 'job-1', 'freezing');
    const polls = lines.map((line) => JSON.parse(line));
    expect(polls.map((p) => p.progress?.stage)).toEqual([undefined, 'ingest', 'ingest', 'encode', 'record']);
    expect(polls[3]).toMatchObject({ job: 'job-1', state: 'running', progress: { done: 2, total: 3 } });
  });
});
