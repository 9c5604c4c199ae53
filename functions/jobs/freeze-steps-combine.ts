/**
 * The combine step: each split file streamed from the shards' parts in shard order
 * (SplitPartsCombiner), or with `shuffle` by the sequential shuffled writer. A split file's
 * address is its SHA-256, known only after one sequential pass, so the file is made twice: pass
 * 1 hashes it, pass 2 streams it into the blob store under that address, which checks every
 * byte again (a pass that differed would be refused, not stored). No split file is ever held
 * whole, and no local disk is needed. The manifest goes to the work area for the record step.
 */
import type { Schema } from 'apache-arrow';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import type { SplitArtifact } from '../../schemas/manifest.js';
import type { JobProgress } from '../../schemas/records.js';
import type { EncodedBatch } from '../core/arrow/ipc-batch.js';
import { type SplitPart, SplitPartsCombiner } from '../core/arrow/split-parts.js';
import { sha256Stream } from '../core/hash.js';
import { freezeManifest } from '../core/shard/freeze-steps.js';
import { type MergedScan, mergedSchema } from '../core/shard/shard-ingest.js';
import { dictionariesOf, shuffledSplitFile } from '../core/shard/sharded-freeze.js';
import { type ArtifactBody, storeSplitFiles } from './freeze-record.js';
import type { FreezeStepDeps } from './freeze-steps-job.js';
import { type AssignedFreeze, assignmentOf } from './freeze-steps-passes.js';
import { type PlannedFreeze, sourceOf } from './freeze-steps-plan.js';
import { noteProgress, stepsJob } from './freeze-steps-state.js';
import { FreezeWork } from './freeze-work.js';
import { FreezeJobInput } from './job-input.js';

/** What the write step stores per shard and split. */
interface StoredPart {
  readonly part: SplitPart;
  /** Shard 0 only, when the schema has dictionary columns. */
  readonly dictionaries?: readonly EncodedBatch[];
}

type SplitFile = (split: SplitName) => AsyncIterable<Uint8Array>;

/** A split file from the parts in the work area, one shard's part in memory at a time. */
function fromParts(work: FreezeWork, schema: Schema, shards: number): SplitFile {
  return async function* (split) {
    let combiner: SplitPartsCombiner | undefined;
    for (let shard = 0; shard < shards; shard++) {
      const { part, dictionaries } = await work.get<StoredPart>('write', shard, split);
      combiner ??= new SplitPartsCombiner(schema, dictionaries ? { dictionaries } : {});
      yield* combiner.add(part);
    }
    // A dataset of no shards still gets its (empty) files.
    yield* (combiner ?? new SplitPartsCombiner(schema)).finish();
  };
}

/** A shuffled split file, written from the dataset again (the assignment is redone from the summaries). */
async function shuffled(
  deps: FreezeStepDeps,
  work: FreezeWork,
  planned: PlannedFreeze,
  merged: MergedScan,
  schema: Schema,
): Promise<SplitFile> {
  const assignment = await assignmentOf(work, planned, merged);
  const input = { source: sourceOf(deps, planned), plan: planned.plan, merged, schema, assignment };
  const dictionaries = await dictionariesOf(input);
  return (split) => shuffledSplitFile(input, split, dictionaries);
}

async function hashOf(file: AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
  const hash = sha256Stream();
  let bytes = 0;
  for await (const chunk of file) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.hex(), bytes };
}

export async function combineStep(deps: FreezeStepDeps, jobId: string, key: string) {
  const job = await stepsJob(deps, jobId);
  const input = FreezeJobInput.parse(job.input);
  const work = new FreezeWork(deps.work, jobId, key);
  const planned = await work.get<PlannedFreeze>('plan');
  const merged = await work.get<MergedScan>('merge');
  const assigned = await work.get<AssignedFreeze>('assign');
  const schema = mergedSchema(merged);
  const file = planned.spec.shuffle
    ? await shuffled(deps, work, planned, merged, schema)
    : fromParts(work, schema, planned.plan.shards.length);
  // Progress goes out in order, behind the work; the last write is awaited before answering.
  // Each link catches its failure (a rejected chain nobody awaits yet would end the Lambda as
  // an unhandled rejection) and the first one is thrown at the end: a throttled note is the
  // step's BACKEND.UNAVAILABLE, which the machine retries.
  let notes = Promise.resolve();
  let noteFailed: { readonly error: unknown } | undefined;
  const report = (progress: JobProgress) => {
    notes = notes.then(() =>
      noteFailed
        ? undefined
        : noteProgress(deps, jobId, progress).catch((error: unknown) => {
            noteFailed ??= { error };
          }),
    );
  };
  const files = SPLIT_NAMES.length;
  report({ stage: 'encode', done: 0, total: files });
  const splits = {} as Record<SplitName, SplitArtifact>;
  for (const split of SPLIT_NAMES) {
    splits[split] = { ...(await hashOf(file(split))), rows: assigned.counts[split] };
  }
  report({ stage: 'hash', done: files, total: files });
  const manifest = freezeManifest(planned.dataset, planned.spec, merged, schema, assigned, splits);
  const writes = files + 1;
  report({ stage: 'record', done: 0, total: writes });
  const body = (split: SplitName): ArtifactBody => ({ body: () => file(split), bytes: splits[split].bytes });
  const who = { jobId, actor: job.actor, requestId: input.requestId };
  const bodies = { train: body('train'), validation: body('validation'), test: body('test') };
  await storeSplitFiles(deps, manifest, bodies, who, report, writes);
  await notes;
  if (noteFailed) throw noteFailed.error;
  await work.put('combine', manifest);
  return { jobId };
}
