/**
 * The AWS freeze's steps (functions/jobs/freeze-steps-job.ts) run in-process on one backend,
 * in the state machine's order with shards out of order and retried: the same manifest and
 * split files as the one-process engine, failures recorded on the job with their stable code,
 * and work objects that can't be mixed up between jobs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { type FreezePlanResult, runFreezeStep } from '../../functions/jobs/freeze-steps-job.js';
import type { PlannedFreeze } from '../../functions/jobs/freeze-steps-plan.js';
import { FreezeWork } from '../../functions/jobs/freeze-work.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';
import { MANY_FILES_DATASETS, MANY_FILES_SPECS } from '../golden/many-files-cases.js';
import {
  type FreezeStepBackend,
  type StepBackendName,
  seedFreezeJob,
  stepBackend,
} from './freeze-steps-backends.js';
import { driveFreezeSteps } from './freeze-steps-driver.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const CSV_SPECS: Record<string, SpecRequestInput> = {
  random: { strategy: 'random', seed: 7, ratios },
  'random-shuffle': { strategy: 'random', seed: 7, ratios, shuffle: true },
  stratified: { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
  group: { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
  'group-shuffle': { strategy: 'group', seed: 5, ratios, groupBy: 'user', shuffle: true },
  hash: { strategy: 'hash', seed: 9, ratios, key: 'id' },
  time: { strategy: 'time', ratios, orderBy: 'at' },
  'stratified-group': { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
};

/** About 120 KiB of CSV for 3000 rows (shards of 16 KiB), with quoted text that holds commas and quotes. */
function csvRows(rows: number, bad?: { row: number; at: string }): Uint8Array {
  const lines = ['id,label,user,at,score,note'];
  for (let i = 0; i < rows; i++) {
    const at = bad?.row === i ? bad.at : String((i * 7919) % 1000);
    lines.push(`${i},c${i % 4},u${i % 37},${at},${(i * 13) % 97},"note ${i}, say ""${i % 11}"""`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

const golden = join(import.meta.dirname, '..', 'golden');
const GOLDEN_CASES = Object.keys(MANY_FILES_DATASETS).flatMap((data) =>
  Object.keys(MANY_FILES_SPECS).map((spec) => [data as keyof typeof MANY_FILES_DATASETS, spec] as const),
);

/** Specs of test/golden/sharded-nested.test.ts, whose recorded vectors these freezes must give. */
const NESTED_SPECS: Record<string, SpecRequestInput> = {
  random: { strategy: 'random', seed: 7, ratios },
  'random-shuffle': { strategy: 'random', seed: 7, ratios, shuffle: true },
  'stratified-group': { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
  time: { strategy: 'time', ratios, orderBy: 'id' },
};

/** Scans in reverse, summaries in order with shard 1 retried twice, writes in reverse. */
const shuffledOrder = (phase: 'scan' | 'summarize' | 'write', shards: number) => {
  const all = Array.from({ length: shards }, (_, i) => i);
  if (phase === 'summarize') return [0, 1, 1, 1, ...all.slice(2)];
  return all.reverse();
};

async function readAll(backend: FreezeStepBackend, sha256: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await backend.deps.blobs.open('artifact', sha256)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export function defineFreezeStepsConformance(name: StepBackendName, label: string): void {
  describe(`the AWS freeze's steps on ${label}`, () => {
    let backend: FreezeStepBackend;
    beforeAll(async () => {
      backend = await stepBackend(name);
    });
    afterAll(async () => {
      await backend?.close();
    });

    async function expectFrozen(jobId: string, manifestId: string, splits: Record<string, string>) {
      const job = await backend.deps.lineage.getJob(jobId);
      expect(job?.problem).toBeUndefined();
      expect(job).toMatchObject({ state: 'succeeded', manifestId, result: { created: true } });
      expect(job?.lease).toBeUndefined();
      expect((await backend.deps.lineage.getManifest(manifestId))?.id).toBe(manifestId);
      for (const sha256 of Object.values(splits))
        expect(sha256Hex(await readAll(backend, sha256))).toBe(sha256);
    }

    it.each(Object.keys(CSV_SPECS))(
      'freezes a multi-shard CSV with %s to the one-process manifest and split files, shards out of order and retried',
      async (specName) => {
        const spec = CSV_SPECS[specName]!;
        const csv = csvRows(3000);
        const { jobId } = await seedFreezeJob(backend.deps, [csv], spec);
        const outcome = await driveFreezeSteps(backend.deps, jobId, { order: shuffledOrder });
        expect(outcome.failedAt).toBeUndefined();
        expect(outcome.shards).toBeGreaterThanOrEqual(4);
        const { manifest } = await splitDataset(
          csv,
          { sha256: sha256Hex(csv), bytes: csv.byteLength },
          SpecRequest.parse(spec),
        );
        const splits = Object.fromEntries(Object.entries(manifest.splits).map(([k, v]) => [k, v.sha256]));
        await expectFrozen(jobId, manifest.id, splits);
      },
    );

    it.each(Object.keys(NESTED_SPECS))(
      'freezes the 3-part nested JSON Lines golden input with %s to its recorded one-process manifest id and split files',
      async (specName) => {
        const expected = JSON.parse(readFileSync(join(golden, 'sharded-nested.expected.json'), 'utf8'))[
          `features-3-parts/${specName}`
        ];
        const files = [0, 1, 2].map(
          (k) => new Uint8Array(readFileSync(join(golden, 'inputs', 'sharded-nested', `part-${k}.jsonl`))),
        );
        const { jobId } = await seedFreezeJob(backend.deps, files, NESTED_SPECS[specName]!);
        const outcome = await driveFreezeSteps(backend.deps, jobId, { order: shuffledOrder, parallel: true });
        expect(outcome.failedAt).toBeUndefined();
        expect(outcome.shards).toBeGreaterThanOrEqual(4);
        await expectFrozen(jobId, expected.manifestId, expected.splits);
      },
    );

    it.each(GOLDEN_CASES)(
      'freezes the 4-file Parquet golden input %s with %s to its recorded manifest id and split files',
      async (data, specName) => {
        const expected = JSON.parse(readFileSync(join(golden, 'many-files.expected.json'), 'utf8'))[
          `${data}/${specName}`
        ];
        const files = MANY_FILES_DATASETS[data].map(
          (file) => new Uint8Array(readFileSync(join(golden, 'inputs', 'many-files', file))),
        );
        const { jobId, dataset } = await seedFreezeJob(backend.deps, files, MANY_FILES_SPECS[specName]!);
        expect(dataset).toBe(expected.dataset);
        // Map items run at once here, as a Distributed Map runs them.
        const outcome = await driveFreezeSteps(backend.deps, jobId, { order: shuffledOrder, parallel: true });
        expect(outcome).toEqual({ shards: 4, key: expect.stringMatching(/^[0-9a-f]{64}$/) });
        await expectFrozen(jobId, expected.manifestId, expected.splits);
      },
    );

    it('fails the job with the dataset code of a bad row in shard 2 and stores nothing', async () => {
      const spec = { strategy: 'random', seed: 1, ratios, schema: { at: 'int64' } } as const;
      // Row 950 sits about 40 KiB in: the third of the 16 KiB shards.
      const csv = csvRows(3000, { row: 950, at: 'not a number' });
      const { jobId, dataset } = await seedFreezeJob(backend.deps, [csv], spec);
      const outcome = await driveFreezeSteps(backend.deps, jobId);
      const planned = await new FreezeWork(backend.deps.work, jobId, outcome.key!).get<PlannedFreeze>('plan');
      const offset = new TextDecoder().decode(csv).indexOf('\n950,');
      const shard = planned.plan.shards.find((s) => s.kind === 'text' && s.start <= offset && offset < s.end);
      expect(shard?.index).toBe(2);
      const whole = await splitDataset(
        csv,
        { sha256: dataset, bytes: csv.byteLength },
        SpecRequest.parse(spec),
      ).then(
        () => undefined,
        (error: { code?: string }) => error.code,
      );
      expect(whole).toMatch(/^DATASET\./);
      // Shard 2's scan notes the fault; the merge raises it in shard order, as whole-file ingest meets it.
      expect(outcome.failedAt).toBe('merge');
      const job = await backend.deps.lineage.getJob(jobId);
      expect(job).toMatchObject({ state: 'failed', problem: { code: whole, status: 422 } });
      expect(job?.problem?.detail).toContain('not a number');
      expect((await backend.deps.lineage.listManifestsByDataset(dataset, { limit: 10 })).items).toEqual([]);
    });

    it('refuses a work object of another job rather than freezing from it', async () => {
      const spec = CSV_SPECS.random!;
      const first = await seedFreezeJob(backend.deps, [csvRows(600)], spec);
      const second = await seedFreezeJob(backend.deps, [csvRows(700)], spec);
      const plan = async (jobId: string) =>
        ((await runFreezeStep(backend.deps, { phase: 'plan', jobId })) as FreezePlanResult).key;
      const firstKey = await plan(first.jobId);
      const secondKey = await plan(second.jobId);
      // The second job's plan replaced by the first's bytes, as a mixed-up key would.
      const stolen = await backend.deps.work.get(first.jobId, 'plan');
      await backend.deps.work.put(second.jobId, 'plan', stolen);
      await expect(
        runFreezeStep(backend.deps, { phase: 'scan', jobId: second.jobId, key: secondKey, shard: 0 }),
      ).rejects.toMatchObject({
        name: 'JOB.WORK_MISMATCH',
      });
      await expect(
        runFreezeStep(backend.deps, { phase: 'scan', jobId: first.jobId, key: firstKey, shard: 0 }),
      ).resolves.toEqual({
        jobId: first.jobId,
      });
    });

    it('refuses dedupe "refuse" in the plan step, as a sharded freeze does, and fails the job with it, naming the AWS setting to raise', async () => {
      const { jobId } = await seedFreezeJob(backend.deps, [csvRows(600)], {
        ...CSV_SPECS.random,
        dedupe: 'refuse',
      });
      expect(await driveFreezeSteps(backend.deps, jobId)).toEqual({ failedAt: 'plan' });
      const problem = (await backend.deps.lineage.getJob(jobId))?.problem;
      expect(problem?.code).toBe('SPEC.DEDUPE_UNAVAILABLE');
      // SPLITVAULT_WORKER_MEMORY is the embedded server's; on AWS the freeze functions' memory decides.
      expect(problem?.detail).toContain("raise the construct's workerMemorySize");
      expect(problem?.detail).not.toContain('SPLITVAULT_WORKER_MEMORY');
    });

    it('answers the Map states an item list of one item per shard in the work area', async () => {
      const { jobId } = await seedFreezeJob(backend.deps, [csvRows(3000)], CSV_SPECS.random!);
      const result = await runFreezeStep(backend.deps, { phase: 'plan', jobId });
      expect(result).toMatchObject({ jobId, items: backend.deps.work.locate(jobId, 'items.json') });
      const shards = (result as { shards: number }).shards;
      const items = JSON.parse(new TextDecoder().decode(await backend.deps.work.get(jobId, 'items.json')));
      expect(items).toEqual(Array.from({ length: shards }, (_, shard) => ({ jobId, shard })));
      expect(await backend.deps.lineage.getJob(jobId)).toMatchObject({
        state: 'running',
        lease: { owner: 'step-functions' },
        progress: { stage: 'ingest' },
      });
    });
  });
}
