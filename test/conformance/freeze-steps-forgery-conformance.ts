/**
 * A subverted shard step of one job writing another job's work objects: the shard role may put
 * `scan-*`, `summarize-*` and `write-*` of any job, so only the execution's work key stands
 * between a forged object and the split files the combine stores under Object Lock. Each
 * forgery is refused with JOB.WORK_MISMATCH by the coordinator step that reads it, the job
 * fails, and no split file is stored.
 */
import { serialize } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobKind, BlobStore } from '../../functions/core/ports.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import {
  type FreezePlanResult,
  type FreezeStepDeps,
  runFreezeStep,
} from '../../functions/jobs/freeze-steps-job.js';
import { FreezeWork, workName } from '../../functions/jobs/freeze-work.js';
import { SpecRequest } from '../../schemas/spec.js';
import {
  type FreezeStepBackend,
  type StepBackendName,
  seedFreezeJob,
  stepBackend,
} from './freeze-steps-backends.js';
import { driveFreezeSteps } from './freeze-steps-driver.js';

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

/** About 100 KiB of CSV (six or seven 16 KiB shards); `salt` changes every row's note. */
function csvRows(rows: number, salt: string): Uint8Array {
  const lines = ['id,label,user,note'];
  for (let i = 0; i < rows; i++) lines.push(`${i},c${i % 4},u${i % 37},${salt} note ${i}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** The blob store, noting every split file put into it. */
export function watchedBlobs(blobs: BlobStore, stored: string[]): BlobStore {
  return new Proxy(blobs, {
    get(target, key, receiver) {
      if (key === 'put' || key === 'adopt') {
        const method = Reflect.get(target, key, receiver) as (...args: unknown[]) => Promise<unknown>;
        if (!method) return method;
        return (kind: BlobKind, sha256: string, ...rest: unknown[]) => {
          if (kind === 'artifact') stored.push(sha256);
          return method.call(target, kind, sha256, ...rest);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Which object of job B the hostile shard replaces, and the coordinator step that reads it first. */
const TARGETS = [
  { phase: 'scan', split: undefined, readBy: 'merge' },
  { phase: 'summarize', split: undefined, readBy: 'assign' },
  { phase: 'write', split: 'train', readBy: 'combine' },
] as const;

type Target = (typeof TARGETS)[number];

/** What the hostile shard can write: it holds its own job's key, never B's. */
const FORGERIES = {
  "an envelope naming job B, tagged with job A's key": async (f: Forge) => {
    const value = await new FreezeWork(f.work, f.a.jobId, f.a.key).get(f.target.phase, 1, f.target.split);
    await new FreezeWork(f.work, f.b.jobId, f.a.key).put(f.target.phase, value, 1, f.target.split);
  },
  'an envelope naming job B with no tag at all': async (f: Forge) => {
    const value = await new FreezeWork(f.work, f.a.jobId, f.a.key).get(f.target.phase, 1, f.target.split);
    const name = workName(f.target.phase, 1, f.target.split);
    const envelope = {
      format: 'splitvault-freeze-work/2',
      jobId: f.b.jobId,
      phase: f.target.phase,
      name,
      value,
    };
    await f.work.put(f.b.jobId, name, serialize(envelope));
  },
  "job B's own object with one byte flipped": async (f: Forge) => {
    const name = workName(f.target.phase, 1, f.target.split);
    const bytes = new Uint8Array(await f.work.get(f.b.jobId, name));
    bytes[bytes.byteLength - 1]! ^= 0x01;
    await f.work.put(f.b.jobId, name, bytes);
  },
} satisfies Record<string, (forge: Forge) => Promise<void>>;

interface Forge {
  readonly work: FreezeStepDeps['work'];
  readonly target: Target;
  readonly a: { readonly jobId: string; readonly key: string };
  readonly b: { readonly jobId: string };
}

const CASES = TARGETS.flatMap((target) =>
  Object.keys(FORGERIES).map((forgery) => [target.phase, forgery as keyof typeof FORGERIES, target] as const),
);

export function defineFreezeStepsForgery(name: StepBackendName, label: string): void {
  describe(`forged work objects of the AWS freeze's steps on ${label}`, () => {
    let backend: FreezeStepBackend;
    /** Job A: the hostile upload's own job, frozen, its objects and key at hand. */
    let a: { readonly jobId: string; readonly key: string };
    beforeAll(async () => {
      backend = await stepBackend(name);
      const seeded = await seedFreezeJob(backend.deps, [csvRows(2500, 'a')], {
        strategy: 'random',
        seed: 8,
        ratios,
      });
      const outcome = await driveFreezeSteps(backend.deps, seeded.jobId);
      expect(outcome.failedAt).toBeUndefined();
      a = { jobId: seeded.jobId, key: outcome.key! };
    });
    afterAll(async () => {
      await backend?.close();
    });

    it.each(CASES)(
      "refuses job B's %s object replaced by %s with JOB.WORK_MISMATCH, and fails the job storing no split file",
      async (_phase, forgery, target) => {
        const stored: string[] = [];
        const deps = { ...backend.deps, blobs: watchedBlobs(backend.deps.blobs, stored) };
        const b = await seedFreezeJob(deps, [csvRows(2500, 'b')], { strategy: 'random', seed: 7, ratios });
        const outcome = await driveFreezeSteps(deps, b.jobId, {
          between: async (phase) => {
            if (phase === target.phase) await FORGERIES[forgery]({ work: deps.work, target, a, b });
          },
        });
        expect(outcome.shards).toBeGreaterThan(1);
        expect(outcome.failedAt).toBe(target.readBy);
        const job = await deps.lineage.getJob(b.jobId);
        expect(job).toMatchObject({ state: 'failed', problem: { code: 'JOB.WORK_MISMATCH', status: 500 } });
        expect(stored).toEqual([]);
        expect((await deps.lineage.listManifestsByDataset(b.dataset, { limit: 10 })).items).toEqual([]);
      },
    );

    it('ends well after a retried plan drew a new key, and refuses the first attempt’s key', async () => {
      const csv = csvRows(2500, 'c');
      const spec = { strategy: 'random', seed: 7, ratios } as const;
      const b = await seedFreezeJob(backend.deps, [csv], spec);
      // The first attempt's answer was lost: the machine keeps the second's, whose key the driver's plan draws.
      const lost = (await runFreezeStep(backend.deps, { phase: 'plan', jobId: b.jobId })) as FreezePlanResult;
      const outcome = await driveFreezeSteps(backend.deps, b.jobId);
      expect(outcome.failedAt).toBeUndefined();
      expect(outcome.key).not.toBe(lost.key);
      const { manifest } = await splitDataset(
        csv,
        { sha256: b.dataset, bytes: csv.byteLength },
        SpecRequest.parse(spec),
      );
      expect(await backend.deps.lineage.getJob(b.jobId)).toMatchObject({
        state: 'succeeded',
        manifestId: manifest.id,
      });
      await expect(
        runFreezeStep(backend.deps, { phase: 'scan', jobId: b.jobId, key: lost.key, shard: 0 }),
      ).rejects.toMatchObject({ name: 'JOB.WORK_MISMATCH' });
    });
  });
}
