/**
 * The combine steps. `combine` makes one split file (the machine runs the three at once, each
 * in its own invocation, so Lambda's 15 minutes bound one file, not three): streamed from the
 * shards' parts in shard order (SplitPartsCombiner), or with `shuffle` by the sequential
 * shuffled writer. A split file's address is its SHA-256, known only after one sequential pass,
 * so the file is made twice: pass 1 hashes it, pass 2 streams it into the blob store under that
 * address, which checks every byte again (a pass that differed would be refused, not stored).
 * Parts are read ahead and uploaded several at once where the stores can (WorkArea.getEach, the
 * S3 blob store's readAhead); no split file is ever held whole, and no local disk is needed.
 * `manifest` then builds the manifest from the three files' addresses and leaves it in the
 * work area for the record step.
 */
import type { Schema } from 'apache-arrow';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import type { SplitArtifact } from '../../schemas/manifest.js';
import type { EncodedBatch } from '../core/arrow/ipc-batch.js';
import { type SplitPart, SplitPartsCombiner } from '../core/arrow/split-parts.js';
import { sha256Stream } from '../core/hash.js';
import { freezeManifest } from '../core/shard/freeze-steps.js';
import { type MergedScan, mergedSchema } from '../core/shard/shard-ingest.js';
import { dictionariesOf, shuffledSplitFile } from '../core/shard/sharded-freeze.js';
import { storeSplitFile } from './freeze-record.js';
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

/** A split file from the parts in the work area, in shard order, one shard's part decoded at a time. */
function fromParts(work: FreezeWork, schema: Schema, shards: number): SplitFile {
  return async function* (split) {
    let combiner: SplitPartsCombiner | undefined;
    const keys = Array.from({ length: shards }, (_, shard) => ({ shard, split }));
    for await (const { part, dictionaries } of work.getEach<StoredPart>('write', keys)) {
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

/** What one split's combine leaves for the manifest step. */
interface CombinedSplit {
  readonly sha256: string;
  readonly bytes: number;
}

/** Makes and stores one split file. */
export async function combineStep(deps: FreezeStepDeps, jobId: string, key: string, split: SplitName) {
  const job = await stepsJob(deps, jobId);
  const input = FreezeJobInput.parse(job.input);
  const work = new FreezeWork(deps.work, jobId, key);
  const planned = await work.get<PlannedFreeze>('plan');
  const merged = await work.get<MergedScan>('merge');
  const schema = mergedSchema(merged);
  const file = planned.spec.shuffle
    ? await shuffled(deps, work, planned, merged, schema)
    : fromParts(work, schema, planned.plan.shards.length);
  // The three combines note the same progress: three writers at most, which the job's
  // compare-and-swap rounds outlast.
  await noteProgress(deps, jobId, { stage: 'encode', done: 0, total: SPLIT_NAMES.length });
  const combined: CombinedSplit = await hashOf(file(split));
  const who = { jobId, actor: job.actor, requestId: input.requestId };
  await storeSplitFile(deps, split, combined.sha256, { body: () => file(split), bytes: combined.bytes }, who);
  await work.put('combine', combined, undefined, split);
  return { jobId };
}

/** The manifest from the three stored split files, left for the record step. */
export async function manifestStep(deps: FreezeStepDeps, jobId: string, key: string) {
  await stepsJob(deps, jobId);
  const work = new FreezeWork(deps.work, jobId, key);
  const planned = await work.get<PlannedFreeze>('plan');
  const merged = await work.get<MergedScan>('merge');
  const assigned = await work.get<AssignedFreeze>('assign');
  const splits = {} as Record<SplitName, SplitArtifact>;
  for (const split of SPLIT_NAMES) {
    const { sha256, bytes } = await work.get<CombinedSplit>('combine', undefined, split);
    splits[split] = { sha256, bytes, rows: assigned.counts[split] };
  }
  const manifest = freezeManifest(
    planned.dataset,
    planned.spec,
    merged,
    mergedSchema(merged),
    assigned,
    splits,
  );
  // The split files are stored; the manifest's transaction is the record step's.
  await noteProgress(deps, jobId, {
    stage: 'record',
    done: SPLIT_NAMES.length,
    total: SPLIT_NAMES.length + 1,
  });
  await work.put('combine', manifest);
  return { jobId };
}
