import { randomUUID } from 'node:crypto';
import { SPLIT_NAMES } from '../../schemas/common.js';
import type { FreezeEvent, JobProgress, StoredManifest } from '../../schemas/records.js';
import { ConflictError, IntegrityError, NotFoundError } from '../core/errors.js';
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
  // Reading reports a missing upload itself, so no HEAD round trip first.
  const source = await readDataset(deps.blobs, record).catch((error: unknown) => {
    if (error instanceof NotFoundError) {
      const missing = record.files ? ` (its file ${String(error.details.sha256 ?? '')} is missing)` : '';
      throw new ConflictError(
        'DATASET.NOT_AVAILABLE',
        `dataset ${input.dataset} has not been uploaded yet${missing}`,
        { cause: error },
      );
    }
    throw error;
  });
  if (source.sha256 !== input.dataset) {
    throw new IntegrityError(`stored dataset ${input.dataset} hashes to ${source.sha256}`);
  }
  const size = source.bytes;
  report({ stage: 'upload-check', done: size, total: size });
  const sticky = input.stickyTo ? await loadStickyParent(deps, input.stickyTo, input.stickyBy) : undefined;
  const { manifest, artifacts } = await splitSource(source, record, input.spec, {
    maxDecodedBytes: deps.maxDecodedBytes,
    onProgress: report,
    ...(sticky ? { sticky } : {}),
  });
  // Three files, then the manifest's transaction.
  const writes = SPLIT_NAMES.length + 1;
  report({ stage: 'record', done: 0, total: writes });
  for (const [index, name] of SPLIT_NAMES.entries()) {
    const artifact = artifacts[name];
    const sha256 = manifest.splits[name].sha256;
    const { repaired } = await deps.blobs.put('artifact', sha256, artifact, artifact.byteLength);
    if (repaired) {
      await deps.lineage.appendAudit({
        id: randomUUID(),
        at: now().toISOString(),
        actor: context.actor,
        action: 'blob.repair',
        target: `artifact:${sha256}`,
        requestId: input.requestId,
        details: { bytes: artifact.byteLength, jobId: context.jobId, split: name },
      });
    }
    report({ stage: 'record', done: index + 1, total: writes });
  }
  const at = now().toISOString();
  const stored: StoredManifest = { ...manifest, createdAt: at, createdBy: context.actor };
  const event: FreezeEvent = {
    manifestId: manifest.id,
    at,
    actor: context.actor,
    requestId: input.requestId,
    service: deps.service,
    ...(input.provenance ? { provenance: input.provenance } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
  };
  // The sticky parent is a parent in the lineage graph too: the new split is built from it.
  const parents = [
    ...new Set([...(input.provenance?.parents ?? []), ...(sticky ? [sticky.manifestId] : [])]),
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
