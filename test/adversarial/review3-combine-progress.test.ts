/**
 * The combine step notes its progress on the job (it once did so in a promise chain behind the
 * work; it now awaits its one note per split file). A job write that fails there (a DynamoDB
 * throttle: BACKEND.UNAVAILABLE, which the machine retries)
 * must come out of the step as that error. An unhandled rejection instead ends a Lambda as
 * Runtime.UnhandledPromiseRejection, which no retry rule matches and the fail step turns into
 * INTERNAL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LineageStore } from '../../functions/core/ports.js';
import { runFreezeStep } from '../../functions/jobs/freeze-steps-job.js';
import {
  embeddedStepBackend,
  type FreezeStepBackend,
  seedFreezeJob,
} from '../conformance/freeze-steps-backends.js';
import { labelledCsv, runStepsThrough, throttleJobWrites } from './support/freeze-steps.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

/** The lineage store whose job writes of the combine's first progress note are throttled. */
const throttledEncodeNote = (lineage: LineageStore) =>
  throttleJobWrites(lineage, (job) => job.progress?.stage === 'encode');

describe('the combine step of the freeze state machine', () => {
  let backend: FreezeStepBackend;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => {
    unhandled.push(reason);
  };
  beforeEach(async () => {
    backend = await embeddedStepBackend();
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await backend.close();
  });

  it('fails with BACKEND.UNAVAILABLE and leaves no unhandled rejection when a progress note is throttled', async () => {
    const deps = backend.deps;
    const { jobId } = await seedFreezeJob(deps, [labelledCsv(3000)], { strategy: 'random', seed: 7, ratios });
    const { key } = await runStepsThrough(deps, jobId, 'write');
    const outcome = await runFreezeStep(
      { ...deps, lineage: throttledEncodeNote(deps.lineage) },
      { phase: 'combine', jobId, key, split: 'train' },
    ).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    // Let any late rejection surface before looking.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect({ outcome, unhandled: unhandled.length }).toEqual({
      outcome: 'BACKEND.UNAVAILABLE',
      unhandled: 0,
    });
  });
});
