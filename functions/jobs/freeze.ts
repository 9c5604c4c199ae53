import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import type { Manifest } from '../../schemas/manifest.js';
import type { JobProgress } from '../../schemas/records.js';
import { ConflictError, DatasetError, IntegrityError, NotFoundError } from '../core/errors.js';
import type { LeakageOutcome } from '../core/leakage/report.js';
import { type ArtifactBody, recordFreeze, storeSplitFiles } from './freeze-record.js';
import { hashStoredDataset, needsShards, type ShardingDeps, splitInShards } from './freeze-sharded.js';
import type { JobDeps } from './job-deps.js';
import type { FreezeJobInput } from './job-input.js';
import { readDataset, splitSource } from './read-dataset.js';
import { loadStickyParent } from './sticky-parent.js';

/** Who runs a job's work, and where it reports its stages (the runner records them). */
export interface JobContext {
  readonly jobId: string;
  readonly actor: string;
  /** @default no reports */
  readonly onProgress?: (progress: JobProgress) => void;
}

export interface FreezeOutcome {
  readonly manifestId: string;
  /** false when the same dataset and spec had been frozen before. */
  readonly created: boolean;
}

/**
 * Builds the splits and records them (freeze-record.ts): artifacts first and the manifest
 * last, in one lineage transaction, so a freeze that fails anywhere leaves no manifest behind.
 */
export async function freeze(
  deps: JobDeps,
  input: FreezeJobInput,
  context: JobContext,
): Promise<FreezeOutcome> {
  const report = context.onProgress ?? (() => undefined);
  const record = await deps.lineage.getDataset(input.dataset);
  if (!record) throw new NotFoundError('DATASET.NOT_FOUND', `no dataset ${input.dataset}`);
  report({ stage: 'upload-check', done: 0, total: record.bytes });
  const { manifest, bodies, leakage, stickyParent } =
    deps.sharding && needsShards(record.bytes, deps.sharding.workerMemory)
      ? await freezeInShards(deps, deps.sharding, record, input, report)
      : await freezeInOneProcess(deps, record, input, report);
  // Three files, then the manifest's transaction (the small leakage blobs go with the latter).
  const writes = SPLIT_NAMES.length + 1;
  report({ stage: 'record', done: 0, total: writes });
  const who = { jobId: context.jobId, actor: context.actor };
  await storeSplitFiles(deps, manifest, bodies, { ...who, requestId: input.requestId }, report, writes);
  const { created } = await recordFreeze(deps, manifest, input, who, { leakage, stickyParent });
  report({ stage: 'record', done: writes, total: writes });
  return { manifestId: manifest.id, created };
}

interface Frozen {
  readonly manifest: Manifest;
  readonly bodies: Readonly<Record<SplitName, ArtifactBody>>;
  /** The leakage report and identity sets, when the freeze computed them. */
  readonly leakage?: LeakageOutcome | undefined;
  /** A sticky re-freeze's parent manifest, a lineage parent of the new one. */
  readonly stickyParent?: string | undefined;
}

export type DatasetRecord = NonNullable<Awaited<ReturnType<JobDeps['lineage']['getDataset']>>>;

/** Turns a missing file of the dataset into DATASET.NOT_AVAILABLE, as every freeze reports it. */
export function notUploaded(input: FreezeJobInput, record: DatasetRecord) {
  return (error: unknown): never => {
    if (error instanceof NotFoundError) {
      const missing = record.files ? ` (its file ${String(error.details.sha256 ?? '')} is missing)` : '';
      throw new ConflictError(
        'DATASET.NOT_AVAILABLE',
        `dataset ${input.dataset} has not been uploaded yet${missing}`,
        { cause: error },
      );
    }
    throw error;
  };
}

/** The whole dataset in this process (split-dataset.ts): read, hash-checked, split in memory. */
async function freezeInOneProcess(
  deps: JobDeps,
  record: DatasetRecord,
  input: FreezeJobInput,
  report: (progress: JobProgress) => void,
): Promise<Frozen> {
  // Reading reports a missing upload itself, so no HEAD round trip first.
  const source = await readDataset(deps.blobs, record).catch(notUploaded(input, record));
  if (source.sha256 !== input.dataset) {
    throw new IntegrityError(`stored dataset ${input.dataset} hashes to ${source.sha256}`);
  }
  const size = source.bytes;
  report({ stage: 'upload-check', done: size, total: size });
  const sticky = input.stickyTo ? await loadStickyParent(deps, input.stickyTo, input.stickyBy) : undefined;
  const { manifest, artifacts, leakage } = await splitSource(source, record, input.spec, {
    maxDecodedBytes: deps.maxDecodedBytes,
    onProgress: report,
    ...(sticky ? { sticky } : {}),
  });
  const body = (name: SplitName): ArtifactBody => ({
    body: () => artifacts[name],
    bytes: artifacts[name].byteLength,
  });
  return {
    manifest,
    bodies: { train: body('train'), validation: body('validation'), test: body('test') },
    leakage,
    stickyParent: sticky?.manifestId,
  };
}

/**
 * What the sharded engine can't do yet, refused before any work (a sharded freeze in this
 * process, or the AWS state machine's plan step): a sticky re-freeze and dedupe "refuse".
 */
export function refuseUnshardable(
  input: FreezeJobInput,
  workerMemory: number,
  setting = 'SPLITVAULT_WORKER_MEMORY',
): void {
  if (input.stickyTo) {
    // Sticky assignment looks every row up in the parent, which the sharded engine can't yet.
    throw new DatasetError(
      'STICKY.TOO_LARGE',
      `a sticky re-freeze of a dataset past the worker memory budget (${workerMemory} bytes) is not supported yet; raise ${setting} or freeze without stickyTo`,
    );
  }
  if (input.spec.dedupe === 'refuse') {
    // The sharded engine computes no leakage report yet, so it cannot honour a refusal on it.
    throw new DatasetError(
      'SPEC.DEDUPE_UNAVAILABLE',
      `dedupe "refuse" needs the leakage report, which a freeze of a dataset past the worker memory budget (${workerMemory} bytes) does not compute yet; freeze with dedupe "report" or "none", or raise ${setting}`,
    );
  }
}

/**
 * A dataset past the worker's budget (freeze-sharded.ts): every file hash-checked in one
 * streaming pass, then read by range in shards, the split files written to scratch disk.
 */
async function freezeInShards(
  deps: JobDeps,
  sharding: ShardingDeps,
  record: DatasetRecord,
  input: FreezeJobInput,
  report: (progress: JobProgress) => void,
): Promise<Frozen> {
  refuseUnshardable(input, sharding.workerMemory);
  let done = 0;
  const { sha256: address } = await hashStoredDataset(deps.blobs, record, (n) => {
    done += n;
  }).catch(notUploaded(input, record));
  if (address !== input.dataset) {
    throw new IntegrityError(`stored dataset ${input.dataset} hashes to ${address}`);
  }
  report({ stage: 'upload-check', done, total: record.bytes });
  const { manifest, files } = await splitInShards(deps.blobs, record, input.spec, sharding, {
    maxDecodedBytes: deps.maxDecodedBytes,
    onProgress: report,
  });
  const body = (name: SplitName): ArtifactBody => ({
    body: () => files[name].read(),
    bytes: manifest.splits[name].bytes,
    path: files[name].path,
    dispose: () => files[name].remove(),
  });
  return { manifest, bodies: { train: body('train'), validation: body('validation'), test: body('test') } };
}
