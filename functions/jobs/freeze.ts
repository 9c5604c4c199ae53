import { randomUUID } from 'node:crypto';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import type { Manifest } from '../../schemas/manifest.js';
import type { FreezeEvent, JobProgress, StoredManifest } from '../../schemas/records.js';
import { ConflictError, DatasetError, IntegrityError, NotFoundError } from '../core/errors.js';
import type { LeakageOutcome } from '../core/leakage/report.js';
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
 * Builds the splits and records them. Artifacts are stored first and the manifest last, in
 * one lineage transaction, so a freeze that fails anywhere leaves no manifest behind.
 */
export async function freeze(
  deps: JobDeps,
  input: FreezeJobInput,
  context: JobContext,
): Promise<FreezeOutcome> {
  const now = deps.now ?? (() => new Date());
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
  try {
    for (const [index, name] of SPLIT_NAMES.entries()) {
      const { body, bytes, path } = bodies[name];
      const sha256 = manifest.splits[name].sha256;
      // A scratch file on the store's own disk moves in; anything else is streamed in.
      const adopted =
        path === undefined ? undefined : await deps.blobs.adopt?.('artifact', sha256, path, bytes);
      const { repaired } = adopted ?? (await deps.blobs.put('artifact', sha256, body(), bytes));
      if (repaired) {
        await deps.lineage.appendAudit({
          id: randomUUID(),
          at: now().toISOString(),
          actor: context.actor,
          action: 'blob.repair',
          target: `artifact:${sha256}`,
          requestId: input.requestId,
          details: { bytes, jobId: context.jobId, split: name },
        });
      }
      report({ stage: 'record', done: index + 1, total: writes });
    }
  } finally {
    await Promise.all(SPLIT_NAMES.map((name) => bodies[name].dispose?.()));
  }
  if (leakage) await putLeakage(deps, leakage);
  const linked = leakage ? { leakageReport: leakage.sha256 } : {};
  const at = now().toISOString();
  const stored: StoredManifest = { ...manifest, createdAt: at, createdBy: context.actor, ...linked };
  const event: FreezeEvent = {
    manifestId: manifest.id,
    at,
    actor: context.actor,
    requestId: input.requestId,
    service: deps.service,
    ...linked,
    ...(input.provenance ? { provenance: input.provenance } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
  };
  // The sticky parent is a parent in the lineage graph too: the new split is built from it.
  const parents = [
    ...new Set([...(input.provenance?.parents ?? []), ...(stickyParent ? [stickyParent] : [])]),
  ];
  const { created } = await deps.lineage.putManifest(stored, event, parents, {
    id: randomUUID(),
    at,
    actor: context.actor,
    action: 'split.freeze',
    target: `split:${manifest.id}`,
    requestId: input.requestId,
    details: { dataset: input.dataset, jobId: context.jobId },
  });
  report({ stage: 'record', done: writes, total: writes });
  return { manifestId: manifest.id, created };
}

/** A split file's bytes, to be stored: in memory, or on scratch disk (then disposed of). */
interface ArtifactBody {
  readonly body: () => Uint8Array | AsyncIterable<Uint8Array>;
  readonly bytes: number;
  /** A local file holding the bytes, which the store may move in (BlobStore.adopt). */
  readonly path?: string;
  readonly dispose?: () => Promise<void>;
}

interface Frozen {
  readonly manifest: Manifest;
  readonly bodies: Readonly<Record<SplitName, ArtifactBody>>;
  /** The leakage report and identity sets, when the freeze computed them. */
  readonly leakage?: LeakageOutcome | undefined;
  /** A sticky re-freeze's parent manifest, a lineage parent of the new one. */
  readonly stickyParent?: string | undefined;
}

type DatasetRecord = NonNullable<Awaited<ReturnType<JobDeps['lineage']['getDataset']>>>;

function notUploaded(input: FreezeJobInput, record: DatasetRecord) {
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
  if (input.stickyTo) {
    // Sticky assignment looks every row up in the parent, which the sharded engine can't yet.
    throw new DatasetError(
      'STICKY.TOO_LARGE',
      `a sticky re-freeze of a dataset past the worker memory budget (${sharding.workerMemory} bytes) is not supported yet; raise SPLITVAULT_WORKER_MEMORY or freeze without stickyTo`,
    );
  }
  if (input.spec.dedupe === 'refuse') {
    // The sharded engine computes no leakage report yet, so it cannot honour a refusal on it.
    throw new DatasetError(
      'SPEC.DEDUPE_UNAVAILABLE',
      `dedupe "refuse" needs the leakage report, which a freeze of a dataset past the worker memory budget (${sharding.workerMemory} bytes) does not compute yet; freeze with dedupe "report" or "none", or raise SPLITVAULT_WORKER_MEMORY`,
    );
  }
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

/** Identity sets, then the report that names them, before the record that names the report. */
async function putLeakage(deps: JobDeps, leakage: LeakageOutcome): Promise<void> {
  for (const name of SPLIT_NAMES) {
    const set = leakage.sets[name];
    await deps.blobs.put('identities', set.sha256, set.bytes, set.bytes.byteLength);
  }
  await deps.blobs.put('leakage', leakage.sha256, leakage.bytes, leakage.bytes.byteLength);
}
