/**
 * The synthesized freeze state machine, executed by an ASL interpreter with each Task run by
 * the real step handler against versitygw and moto (bash scripts/with-emulators.sh).
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { drawWorkKey, FreezeWork } from '../../functions/jobs/freeze-work.js';
import type { SplitVault } from '../../lib/splitvault.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';
import { s3Client } from '../conformance/emulator-env.js';
import {
  emulatorStepBackend,
  type FreezeStepBackend,
  seedFreezeJob,
} from '../conformance/freeze-steps-backends.js';
import { watchedBlobs } from '../conformance/freeze-steps-forgery-conformance.js';
import { FAKE_ENV, freezeDefinition } from './freeze-definition.js';
import { type InvokeHook, MAP_RUN_FAILED, runLocally } from './freeze-machine-local.js';
import { logicalId, synthStack } from './synth.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

/** About 110 KiB of CSV, seven 16 KiB shards at the test shard budget. */
function csvRows(rows: number, bad?: { row: number; at: string }): Uint8Array {
  const lines = ['id,label,user,at,score,note'];
  for (let i = 0; i < rows; i++) {
    const at = bad?.row === i ? bad.at : String((i * 7919) % 1000);
    lines.push(`${i},c${i % 4},u${i % 37},${at},${(i * 13) % 97},"note ${i}, say ""${i % 11}"""`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

const fnArn = (id: string) => `arn:aws:lambda:${FAKE_ENV.region}:${FAKE_ENV.account}:function:${id}`;

describe('the synthesized freeze state machine, run by aws-local-stepfunctions on the emulators', () => {
  let backend: FreezeStepBackend;
  let template: Template;
  let vault: SplitVault;
  const s3 = s3Client();
  beforeAll(async () => {
    backend = await emulatorStepBackend();
    const synth = synthStack();
    template = synth.template;
    vault = synth.stack.vault;
  });
  afterAll(async () => {
    s3.destroy();
    await backend?.close();
  });

  /** The deployed definition, with the work bucket the emulator backend writes to. */
  const run = (jobId: string, hook?: InvokeHook, deps = backend.deps) => {
    const workBucket = backend.deps.work.locate(jobId, 'items.json').bucket;
    const definition = freezeDefinition(template, { [logicalId(vault.workBucket)]: workBucket });
    return runLocally(definition, jobId, {
      deps,
      s3,
      functions: {
        coordinatorArn: fnArn(logicalId(vault.freezeCoordinatorFunction)),
        shardArn: fnArn(logicalId(vault.freezeShardFunction)),
      },
      ...(hook ? { hook } : {}),
    });
  };

  async function oneProcessManifest(csv: Uint8Array, spec: SpecRequestInput) {
    const { manifest } = await splitDataset(
      csv,
      { sha256: sha256Hex(csv), bytes: csv.byteLength },
      SpecRequest.parse(spec),
    );
    return manifest;
  }

  it.each<[string, SpecRequestInput]>([
    ['random', { strategy: 'random', seed: 7, ratios }],
    ['stratified', { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' }],
    ['group with shuffle', { strategy: 'group', seed: 5, ratios, groupBy: 'user', shuffle: true }],
    ['group', { strategy: 'group', seed: 5, ratios, groupBy: 'user' }],
    ['hash', { strategy: 'hash', seed: 9, ratios, key: 'id' }],
    ['time', { strategy: 'time', ratios, orderBy: 'at' }],
    [
      'stratified-group',
      { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
    ],
  ])(
    'ends a %s freeze of a multi-shard CSV with the job succeeded and the one-process manifest id',
    async (_name, spec) => {
      const csv = csvRows(3000);
      const { jobId } = await seedFreezeJob(backend.deps, [csv], spec);
      const outcome = await run(jobId);
      expect(outcome.error).toBeUndefined();
      const expected = await oneProcessManifest(csv, spec);
      const job = await backend.deps.lineage.getJob(jobId);
      expect(job?.problem).toBeUndefined();
      expect(job).toMatchObject({ state: 'succeeded', manifestId: expected.id });
      // Every map ran its phase once per shard of the plan, through the shard function, with
      // the work key the plan drew; so did every coordinator step after plan.
      const plan = outcome.invocations.find((i) => i.state === 'Plan')?.result;
      const { shards, key } = plan as { shards: number; key: string };
      expect(shards).toBeGreaterThanOrEqual(4);
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      for (const state of ['Scan', 'Summarize', 'Write']) {
        const events = outcome.invocations.filter((i) => i.state === state).map((i) => i.event);
        expect(events.map((e) => e.shard).sort((a, b) => Number(a) - Number(b))).toEqual(
          Array.from({ length: shards }, (_, shard) => shard),
        );
        for (const event of events)
          expect(event).toEqual({ phase: state.toLowerCase(), jobId, key, shard: event.shard });
      }
      const coordinator = outcome.invocations.filter(
        (i) => !['Scan', 'Summarize', 'Write'].includes(i.state),
      );
      const states = coordinator.map((i) => i.state);
      // The three combines run at once, in any order, between Assign and Manifest.
      expect([...states.slice(0, 3), ...states.slice(3, 6).sort(), ...states.slice(6)]).toEqual([
        'Plan',
        'Merge',
        'Assign',
        'CombineTest',
        'CombineTrain',
        'CombineValidation',
        'Manifest',
        'Record',
      ]);
      for (const { state, event } of coordinator.slice(1)) {
        const split = state.startsWith('Combine') ? state.slice('Combine'.length).toLowerCase() : undefined;
        expect(event).toEqual(
          split ? { phase: 'combine', jobId, key, split } : { phase: state.toLowerCase(), jobId, key },
        );
      }
      // The execution's output is the record step's answer: no shard results, and no key.
      expect(outcome.output).toEqual({ jobId });
    },
  );

  it('ends in the Fail state with the job failed and the DATASET code of a bad row in shard 2', async () => {
    const spec = { strategy: 'random', seed: 1, ratios, schema: { at: 'int64' } } as const;
    const csv = csvRows(3000, { row: 950, at: 'not a number' });
    const { jobId, dataset } = await seedFreezeJob(backend.deps, [csv], spec);
    const whole = await oneProcessManifest(csv, spec).then(
      () => undefined,
      (error: { code?: string }) => error.code,
    );
    expect(whole).toMatch(/^DATASET\./);
    const outcome = await run(jobId);
    // The Fail state raises the step's error: its name is the stable code.
    expect(outcome.error?.name).toBe(whole);
    expect(outcome.invocations.at(-1)).toMatchObject({ state: 'MarkFailed', outcome: 'ok' });
    const job = await backend.deps.lineage.getJob(jobId);
    expect(job).toMatchObject({ state: 'failed', problem: { code: whole, status: 422 } });
    expect((await backend.deps.lineage.listManifestsByDataset(dataset, { limit: 10 })).items).toEqual([]);
  });

  it('retries a shard step whose invoke was throttled and a coordinator step that met a Lambda service error, and freezes the same bytes', async () => {
    const spec = { strategy: 'random', seed: 7, ratios } as const;
    const csv = csvRows(3000);
    const { jobId } = await seedFreezeJob(backend.deps, [csv], spec);
    const thrown = new Set<string>();
    const once = (key: string, name: string) => {
      if (thrown.has(key)) return;
      thrown.add(key);
      throw Object.assign(new Error('Rate Exceeded.'), { name });
    };
    const outcome = await run(jobId, (state, event) => {
      if (state === 'Scan' && event.shard === 1) once('scan-1', 'Lambda.TooManyRequestsException');
      if (state === 'Merge') once('merge', 'Lambda.ServiceException');
    });
    expect(outcome.error).toBeUndefined();
    const scans = outcome.invocations.filter((i) => i.state === 'Scan' && i.event.shard === 1);
    expect(scans.map((i) => i.outcome)).toEqual(['Lambda.TooManyRequestsException', 'ok']);
    expect(outcome.invocations.filter((i) => i.state === 'Merge').map((i) => i.outcome)).toEqual([
      'Lambda.ServiceException',
      'ok',
    ]);
    const job = await backend.deps.lineage.getJob(jobId);
    expect(job).toMatchObject({ state: 'succeeded', manifestId: (await oneProcessManifest(csv, spec)).id });
  });

  it('ends Failed with JOB.WORK_MISMATCH and stores nothing when a split part is replaced between the write map and the combine', async () => {
    const spec = { strategy: 'random', seed: 7, ratios } as const;
    // A dataset of its own: the others here are frozen to manifests of theirs.
    const csv = csvRows(2900);
    const { jobId, dataset } = await seedFreezeJob(backend.deps, [csv], spec);
    const stored: string[] = [];
    const deps = { ...backend.deps, blobs: watchedBlobs(backend.deps.blobs, stored) };
    let replaced = false;
    const outcome = await run(
      jobId,
      async (state, event) => {
        if (!state.startsWith('Combine') || replaced) return;
        replaced = true;
        // Before the first combine: a hostile shard of another job puts shard 2's part of each
        // split as shard 1's: it may write this job's parts, but only under a key of its own
        // (the test reads with the real one).
        for (const split of ['train', 'validation', 'test']) {
          const part = await new FreezeWork(deps.work, jobId, String(event.key)).get('write', 2, split);
          await new FreezeWork(deps.work, jobId, drawWorkKey()).put('write', part, 1, split);
        }
      },
      deps,
    );
    expect(outcome.error?.name).toBe('JOB.WORK_MISMATCH');
    // The combines run at once; however many ran before the Parallel state failed, none passed.
    const combines = outcome.invocations.filter((i) => i.state.startsWith('Combine'));
    expect(combines.length).toBeGreaterThan(0);
    for (const combine of combines) expect(combine.outcome).toBe('JOB.WORK_MISMATCH');
    expect(outcome.invocations.at(-1)).toMatchObject({ state: 'MarkFailed', outcome: 'ok' });
    expect(outcome.invocations.some((i) => i.state === 'Record')).toBe(false);
    const job = await backend.deps.lineage.getJob(jobId);
    expect(job).toMatchObject({ state: 'failed', problem: { code: 'JOB.WORK_MISMATCH', status: 500 } });
    expect(stored).toEqual([]);
    expect((await backend.deps.lineage.listManifestsByDataset(dataset, { limit: 10 })).items).toEqual([]);
  });

  it('fails the job, not the execution silently, when a shard step keeps failing: the map reports only its failure threshold', async () => {
    const spec = { strategy: 'random', seed: 7, ratios } as const;
    const { jobId } = await seedFreezeJob(backend.deps, [csvRows(3000)], spec);
    const outcome = await run(jobId, (state, event) => {
      // A crash no retry rule names (out of memory looks like this): never retried.
      if (state === 'Write' && event.shard === 0)
        throw Object.assign(new Error('exited'), { name: 'Runtime.ExitError' });
    });
    expect(outcome.error?.name).toBe(MAP_RUN_FAILED);
    const writes = outcome.invocations.filter((i) => i.state === 'Write' && i.event.shard === 0);
    expect(writes.map((i) => i.outcome)).toEqual(['Runtime.ExitError']);
    expect(outcome.invocations.some((i) => i.state.startsWith('Combine'))).toBe(false);
    const job = await backend.deps.lineage.getJob(jobId);
    expect(job).toMatchObject({ state: 'failed', problem: { code: 'INTERNAL' } });
    expect(job?.problem?.detail).toContain(MAP_RUN_FAILED);
  });

  it("ends in the Fail state with the job failed, no manifest and no file of the failed split when one split's combine fails", async () => {
    // A dataset and seed no other test freezes, so none of these split files is stored already.
    const spec = { strategy: 'random', seed: 11, ratios } as const;
    const csv = csvRows(2999);
    const { jobId, dataset } = await seedFreezeJob(backend.deps, [csv], spec);
    const outcome = await run(jobId, (state) => {
      // A crash no retry rule names: the branch, then the Parallel state, fails at once.
      if (state === 'CombineValidation')
        throw Object.assign(new Error('exited'), { name: 'Runtime.ExitError' });
    });
    expect(outcome.error?.name).toBe('Runtime.ExitError');
    const states = outcome.invocations.map((i) => i.state);
    expect(outcome.invocations.filter((i) => i.state === 'CombineValidation').map((i) => i.outcome)).toEqual([
      'Runtime.ExitError',
    ]);
    expect(states).not.toContain('Manifest');
    expect(states).not.toContain('Record');
    expect(states.at(-1)).toBe('MarkFailed');
    const job = await backend.deps.lineage.getJob(jobId);
    expect(job).toMatchObject({ state: 'failed', problem: { code: 'INTERNAL' } });
    expect((await backend.deps.lineage.listManifestsByDataset(dataset, { limit: 10 })).items).toEqual([]);
    const expected = await oneProcessManifest(csv, spec);
    expect(await backend.deps.blobs.head('artifact', expected.splits.validation.sha256)).toBeUndefined();
  });
});
