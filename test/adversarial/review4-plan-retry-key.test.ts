/**
 * Review 4: the plan step draws a fresh work key on every attempt. Step Functions retries a
 * task on Lambda.SdkClientException / Lambda.ServiceException (lib/vault-freeze-machine.ts,
 * TRANSIENT_LAMBDA_ERRORS), which it also raises when the synchronous invoke's answer is lost
 * while the function keeps running; the retry then runs beside the first attempt. Before the
 * work key, both attempts wrote the same plan bytes, so whichever landed last was harmless.
 * With a key drawn per attempt, the attempt whose answer is lost could write its plan (tagged
 * with its own key) after the retry's, and every later step, handed the retry's key, refused the
 * plan: the job failed. The machine now draws the key once, before plan (the DrawWorkKey state),
 * and hands it to every attempt, so both attempts write the same plan under the same key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FreezePlanResult,
  type FreezeStepDeps,
  runFreezeStep,
} from '../../functions/jobs/freeze-steps-job.js';
import { drawWorkKey } from '../../functions/jobs/freeze-work.js';
import { type FreezeStepBackend, seedFreezeJob, stepBackend } from '../conformance/freeze-steps-backends.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

function csvRows(rows: number): Uint8Array {
  const lines = ['id,label,user,note'];
  for (let i = 0; i < rows; i++) lines.push(`${i},c${i % 4},u${i % 37},note ${i}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

describe('a plan step retried while its first attempt still runs (review 4)', () => {
  let backend: FreezeStepBackend;
  beforeAll(async () => {
    backend = await stepBackend('embedded');
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('leaves the plan readable under the key of the attempt whose answer the machine kept', async () => {
    const { jobId } = await seedFreezeJob(backend.deps, [csvRows(2500)], {
      strategy: 'random',
      seed: 7,
      ratios,
    });
    // The first attempt's write of its plan is slow to land (a long hash check, a slow PUT):
    // it is held until the retry has answered.
    let held: (() => void) | undefined;
    let firstReachedPut: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => {
      firstReachedPut = resolve;
    });
    let planPuts = 0;
    const work: FreezeStepDeps['work'] = {
      put: async (job, name, body) => {
        if (name === 'plan' && planPuts++ === 0) {
          await new Promise<void>((resolve) => {
            held = resolve;
            firstReachedPut();
          });
        }
        return backend.deps.work.put(job, name, body);
      },
      get: (job, name) => backend.deps.work.get(job, name),
      locate: (job, name) => backend.deps.work.locate(job, name),
    };
    const deps = { ...backend.deps, work };
    // As States.Hash may give it: hex, in either case; the plan answers it in lower case.
    const drawn = drawWorkKey().toUpperCase();
    const first = runFreezeStep(deps, { phase: 'plan', jobId, key: drawn });
    await reached;
    // Step Functions got no answer from the first attempt and retried: it keeps this one.
    const kept = (await runFreezeStep(deps, { phase: 'plan', jobId, key: drawn })) as FreezePlanResult;
    expect(kept.key).toBe(drawn.toLowerCase());
    held!();
    await first;
    await expect(
      runFreezeStep(backend.deps, { phase: 'scan', jobId, key: kept.key, shard: 0 }),
    ).resolves.toEqual({ jobId });
  });
});
