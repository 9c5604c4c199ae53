/**
 * The edges of the AWS freeze's steps: the Lambda entries' event checks, how a step's typed
 * error crosses a Catch to the job record, and steps that arrive after the job finished.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { DatasetError, ValidationError } from '../../functions/core/errors.js';
import {
  createFreezeStepHandler,
  freezeStepDepsFromConfig,
} from '../../functions/handlers/freeze-step-handler.js';
import { FreezeStepError, problemOfCaught, stepError } from '../../functions/jobs/freeze-step-error.js';
import {
  COORDINATOR_PHASES,
  type FreezePlanResult,
  runFreezeStep,
  SHARD_PHASES,
} from '../../functions/jobs/freeze-steps-job.js';
import {
  embeddedStepBackend,
  type FreezeStepBackend,
  seedFreezeJob,
} from '../conformance/freeze-steps-backends.js';
import { caughtFromLambda, driveFreezeSteps } from '../conformance/freeze-steps-driver.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';

const AWS = { SPLITVAULT_BACKEND: 'aws', SPLITVAULT_BUCKET: 'b', SPLITVAULT_TABLE: 't' };
/** A well-formed work key that no plan drew. */
const KEY = 'ab'.repeat(32);

describe('the freeze step handlers', () => {
  let backend: FreezeStepBackend;
  beforeAll(async () => {
    backend = await embeddedStepBackend();
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('refuse a shard step sent to the coordinator, a coordinator step sent to the shard function, and a malformed event', async () => {
    const coordinator = createFreezeStepHandler(backend.deps, COORDINATOR_PHASES);
    const shard = createFreezeStepHandler(backend.deps, SHARD_PHASES);
    await expect(coordinator({ phase: 'scan', jobId: 'j', key: KEY, shard: 0 })).rejects.toThrow(/not scan/);
    await expect(shard({ phase: 'plan', jobId: 'j' })).rejects.toThrow(/not plan/);
    await expect(shard({ phase: 'scan', jobId: 'j', key: KEY })).rejects.toThrow();
    await expect(coordinator({ phase: 'fail', jobId: 'j' })).rejects.toThrow();
  });

  it('refuse a step after plan whose event carries no work key, or one that is not 256 bits of hex', async () => {
    const shard = createFreezeStepHandler(backend.deps, SHARD_PHASES);
    const coordinator = createFreezeStepHandler(backend.deps, COORDINATOR_PHASES);
    for (const key of [undefined, '', KEY.slice(2), `${KEY}00`, KEY.toUpperCase(), `${KEY.slice(1)}g`]) {
      const withKey = key === undefined ? {} : { key };
      await expect(shard({ phase: 'write', jobId: 'j', shard: 0, ...withKey })).rejects.toThrow(/key/);
      await expect(coordinator({ phase: 'combine', jobId: 'j', ...withKey })).rejects.toThrow(/key/);
    }
  });

  it('need the work bucket and the shard memory from the environment', async () => {
    const config = loadConfig({ SPLITVAULT_BACKEND: 'aws', SPLITVAULT_BUCKET: 'b', SPLITVAULT_TABLE: 't' });
    await expect(freezeStepDepsFromConfig(config)).rejects.toThrow(/SPLITVAULT_WORK_BUCKET/);
    const noMemory = loadConfig({
      SPLITVAULT_BACKEND: 'aws',
      SPLITVAULT_BUCKET: 'b',
      SPLITVAULT_TABLE: 't',
      SPLITVAULT_WORK_BUCKET: 'w',
    });
    await expect(freezeStepDepsFromConfig(noMemory)).rejects.toThrow(/SPLITVAULT_SHARD_MEMORY/);
    const onLambda = loadConfig({ ...AWS, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048' });
    expect(onLambda.shardMemory).toBe(2048 * 2 ** 20);
    const set = loadConfig({
      ...AWS,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      SPLITVAULT_SHARD_MEMORY: String(2 ** 30),
    });
    expect(set.shardMemory).toBe(2 ** 30);
  });

  it('name a failed step after its stable code, so a Catch hands the fail step the problem the job carries', () => {
    const error = stepError(new DatasetError('DATASET.TYPE_MISMATCH', 'row 7 is not an int64'));
    expect(error).toBeInstanceOf(FreezeStepError);
    expect(error.name).toBe('DATASET.TYPE_MISMATCH');
    // As a Lambda hands it over (Cause wraps the message), and as an in-process interpreter may.
    expect(problemOfCaught(caughtFromLambda(error))).toEqual(error.problem);
    expect(problemOfCaught({ Error: error.name, Cause: error.message })).toEqual(error.problem);
    expect(error.problem).toMatchObject({
      code: 'DATASET.TYPE_MISMATCH',
      status: 422,
      detail: 'row 7 is not an int64',
    });
  });

  it('keep a huge problem within what Step Functions keeps of a Cause, code and status intact', () => {
    const errors = Array.from({ length: 2000 }, (_, i) => ({ path: `spec.x${i}`, message: 'x'.repeat(50) }));
    const error = stepError(new ValidationError('SPEC.INVALID', 'bad spec', { details: { errors } }));
    expect(caughtFromLambda(error).Cause.length).toBeLessThan(32_768);
    expect(problemOfCaught(caughtFromLambda(error))).toMatchObject({
      code: 'SPEC.INVALID',
      status: 400,
      detail: 'bad spec',
    });
  });

  it('recover the code and status of a step error from a Cause cut short after them', () => {
    const error = stepError(new DatasetError('DATASET.TYPE_MISMATCH', `row 7 is ${'"x" '.repeat(100)}`));
    const { Error: name, Cause } = caughtFromLambda(error);
    expect(problemOfCaught({ Error: name, Cause: Cause.slice(0, 300) })).toMatchObject({
      code: 'DATASET.TYPE_MISMATCH',
      status: 422,
      title: 'Unprocessable Content',
    });
    // A cut Cause naming another code than its Error is not believed.
    expect(problemOfCaught({ Error: 'Lambda.Unknown', Cause: Cause.slice(0, 300) }).code).toBe('INTERNAL');
  });

  it('keep a Cause of a problem quoting many cell values under what Step Functions keeps, trace included', () => {
    const errors = Array.from({ length: 400 }, (_, i) => ({
      path: `row ${i}`,
      message: `"C:\\x\\"${i}"" bad`,
    }));
    const error = stepError(new DatasetError('DATASET.TYPE_MISMATCH', 'not int64', { details: { errors } }));
    const caught = caughtFromLambda(error);
    expect(caught.Cause.length).toBeLessThan(32_768);
    expect(problemOfCaught(caught).errors?.length).toBeGreaterThan(0);
    expect(error.stack?.split('\n')[0]).not.toContain('errors');
  });

  it('turn an error that is not a step failure (a Lambda timeout, out of memory) into INTERNAL naming it', () => {
    expect(
      problemOfCaught({ Error: 'States.Timeout', Cause: 'Task timed out after 900.00 seconds' }),
    ).toMatchObject({
      code: 'INTERNAL',
      status: 500,
      detail: expect.stringContaining('States.Timeout'),
    });
    const oom = {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: 'Runtime exited with error: signal: killed',
    };
    expect(problemOfCaught({ Error: 'Runtime.OutOfMemory', Cause: JSON.stringify(oom) })).toMatchObject({
      code: 'INTERNAL',
      detail: expect.stringContaining('signal: killed'),
    });
    // A Cause that claims another code than the Error it came with is not trusted.
    const forged = JSON.stringify({ type: 'x', title: 'x', status: 422, code: 'DATASET.EMPTY' });
    expect(problemOfCaught({ Error: 'Lambda.Unknown', Cause: forged }).code).toBe('INTERNAL');
  });

  it('leave a finished job as it is when a record or fail step is retried after it', async () => {
    const data = csvDataset(2000);
    const { jobId } = await seedFreezeJob(backend.deps, [data.bytes], RANDOM_SPEC);
    const { key } = await driveFreezeSteps(backend.deps, jobId);
    expect(key).toBeDefined();
    const done = await backend.deps.lineage.getJob(jobId);
    await runFreezeStep(backend.deps, { phase: 'record', jobId, key: key! });
    await runFreezeStep(backend.deps, { phase: 'fail', jobId, error: { Error: 'States.Timeout' } });
    expect(await backend.deps.lineage.getJob(jobId)).toEqual(done);
    expect(await backend.deps.lineage.listFreezeEvents(done!.manifestId!)).toHaveLength(1);
  });

  it('refuse to plan a job that already finished, and a plan retried while the machine runs the job goes on', async () => {
    const data = csvDataset(500, 1);
    const { jobId } = await seedFreezeJob(backend.deps, [data.bytes], RANDOM_SPEC);
    const first = (await runFreezeStep(backend.deps, { phase: 'plan', jobId })) as FreezePlanResult;
    const again = (await runFreezeStep(backend.deps, { phase: 'plan', jobId })) as FreezePlanResult;
    // The same plan, under a key of its own.
    expect({ ...again, key: first.key }).toEqual(first);
    expect(again.key).not.toBe(first.key);
    expect((await backend.deps.lineage.getJob(jobId))?.attempts).toBe(1);
    await runFreezeStep(backend.deps, { phase: 'fail', jobId, error: { Error: 'States.Timeout' } });
    await expect(runFreezeStep(backend.deps, { phase: 'plan', jobId })).rejects.toMatchObject({
      name: 'JOB.NOT_RUNNABLE',
    });
    await expect(
      runFreezeStep(backend.deps, { phase: 'merge', jobId, key: again.key }),
    ).rejects.toMatchObject({
      name: 'JOB.NOT_RUNNABLE',
    });
  });

  it('leave a job that another runner holds alone, and fail a job whose plan failed before claiming it', async () => {
    const { jobId } = await seedFreezeJob(backend.deps, [csvDataset(50, 2).bytes], RANDOM_SPEC);
    const queued = (await backend.deps.lineage.getJob(jobId))!;
    const held = {
      ...queued,
      state: 'running' as const,
      lease: { owner: 'worker-1', expiresAt: '2999-01-01T00:00:00.000Z' },
      revision: 1,
    };
    expect(await backend.deps.lineage.swapJob(held, 0)).toBe(true);
    await expect(runFreezeStep(backend.deps, { phase: 'plan', jobId })).rejects.toMatchObject({
      name: 'JOB.NOT_RUNNABLE',
    });
    await runFreezeStep(backend.deps, { phase: 'fail', jobId, error: { Error: 'JOB.NOT_RUNNABLE' } });
    expect(await backend.deps.lineage.getJob(jobId)).toEqual(held);

    const other = await seedFreezeJob(backend.deps, [csvDataset(50, 3).bytes], RANDOM_SPEC);
    await runFreezeStep(backend.deps, {
      phase: 'fail',
      jobId: other.jobId,
      error: { Error: 'States.Timeout' },
    });
    expect(await backend.deps.lineage.getJob(other.jobId)).toMatchObject({
      state: 'failed',
      problem: { code: 'INTERNAL' },
    });
  });

  it("log a service failure with its message where the step ran, since the job's problem hides it", async () => {
    const lines: Record<string, unknown>[] = [];
    const deps = {
      ...backend.deps,
      log: (line: Readonly<Record<string, unknown>>) => lines.push({ ...line }),
    };
    const { jobId } = await seedFreezeJob(deps, [csvDataset(60, 4).bytes], RANDOM_SPEC);
    const { key } = (await runFreezeStep(deps, { phase: 'plan', jobId })) as FreezePlanResult;
    await deps.work.put(jobId, 'plan', new TextEncoder().encode('not a work object'));
    const error = await runFreezeStep(deps, { phase: 'scan', jobId, key, shard: 0 }).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'JOB.WORK_MISMATCH' });
    expect(JSON.parse((error as Error).message).detail).toBe('stored bytes do not match their address');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        jobId,
        phase: 'scan',
        message: expect.stringContaining("does not carry this execution's tag"),
      }),
    ]);
  });
});
