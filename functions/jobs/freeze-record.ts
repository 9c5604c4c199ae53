/**
 * How every freeze ends, whoever computed it (one process, shards in this process, or the AWS
 * state machine's steps): the split files are stored first, then the manifest, its freeze
 * event, lineage edges and audit entry in one lineage transaction, so a freeze that fails
 * anywhere before that leaves no manifest behind.
 */
import { randomUUID } from 'node:crypto';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import type { Manifest } from '../../schemas/manifest.js';
import type { FreezeEvent, JobProgress, StoredManifest } from '../../schemas/records.js';
import type { LeakageOutcome } from '../core/leakage/report.js';
import type { JobDeps } from './job-deps.js';
import type { FreezeJobInput } from './job-input.js';

/** A split file's bytes, to be stored: in memory, streamed, or on scratch disk (then disposed of). */
export interface ArtifactBody {
  readonly body: () => Uint8Array | AsyncIterable<Uint8Array>;
  readonly bytes: number;
  /** A local file holding the bytes, which the store may move in (BlobStore.adopt). */
  readonly path?: string;
  readonly dispose?: () => Promise<void>;
}

/** Who froze, for the audit entries and the freeze event. */
export interface FreezeActor {
  readonly jobId: string;
  readonly actor: string;
}

type RecordDeps = Pick<JobDeps, 'blobs' | 'lineage' | 'service' | 'now'>;

/**
 * Stores the three split files under the manifest's addresses (the store checks each one's
 * bytes), auditing a repaired blob; reports each write as a `record` stage step of `writes`.
 */
export async function storeSplitFiles(
  deps: RecordDeps,
  manifest: Manifest,
  bodies: Readonly<Record<SplitName, ArtifactBody>>,
  who: FreezeActor & { readonly requestId: string },
  report: (progress: JobProgress) => void,
  writes: number,
): Promise<void> {
  try {
    for (const [index, name] of SPLIT_NAMES.entries()) {
      await storeSplitFile(deps, name, manifest.splits[name].sha256, bodies[name], who);
      report({ stage: 'record', done: index + 1, total: writes });
    }
  } finally {
    await Promise.all(SPLIT_NAMES.map((name) => bodies[name].dispose?.()));
  }
}

/**
 * Stores one split file under its address `sha256` (the store checks its bytes), auditing a
 * repaired blob. The caller disposes of the body.
 */
export async function storeSplitFile(
  deps: RecordDeps,
  name: SplitName,
  sha256: string,
  artifact: ArtifactBody,
  who: FreezeActor & { readonly requestId: string },
): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const { body, bytes, path } = artifact;
  // A scratch file on the store's own disk moves in; anything else is streamed in.
  const adopted = path === undefined ? undefined : await deps.blobs.adopt?.('artifact', sha256, path, bytes);
  const { repaired } = adopted ?? (await deps.blobs.put('artifact', sha256, body(), bytes));
  if (repaired) {
    await deps.lineage.appendAudit({
      id: randomUUID(),
      at: now().toISOString(),
      actor: who.actor,
      action: 'blob.repair',
      target: `artifact:${sha256}`,
      requestId: who.requestId,
      details: { bytes, jobId: who.jobId, split: name },
    });
  }
}

/** What a freeze may add to its manifest's record. */
export interface RecordExtras {
  /** The leakage report and identity sets, when the freeze computed them. */
  readonly leakage?: LeakageOutcome | undefined;
  /** A sticky re-freeze's parent manifest, a lineage parent of the new one. */
  readonly stickyParent?: string | undefined;
}

/**
 * Records a manifest whose split files are stored: the leakage blobs, then the manifest, its
 * freeze event, lineage parents and audit entry in one transaction. created=false when the
 * same dataset and spec had been frozen before. A job records once: when its transaction has
 * landed already (a step or job retried after it, its answer lost), the answer is read back.
 */
export async function recordFreeze(
  deps: RecordDeps,
  manifest: Manifest,
  input: FreezeJobInput,
  who: FreezeActor,
  extras: RecordExtras = {},
): Promise<{ readonly created: boolean }> {
  const now = deps.now ?? (() => new Date());
  const earlier = await recordedByJob(deps, manifest.id, who.jobId);
  if (earlier) return earlier;
  const { leakage, stickyParent } = extras;
  if (leakage) await putLeakage(deps, leakage);
  const linked = leakage ? { leakageReport: leakage.sha256 } : {};
  const at = now().toISOString();
  const stored: StoredManifest = { ...manifest, createdAt: at, createdBy: who.actor, ...linked };
  const event: FreezeEvent = {
    manifestId: manifest.id,
    at,
    actor: who.actor,
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
  return deps.lineage.putManifest(stored, event, parents, {
    id: randomUUID(),
    at,
    actor: who.actor,
    action: 'split.freeze',
    target: `split:${manifest.id}`,
    requestId: input.requestId,
    details: { dataset: input.dataset, jobId: who.jobId },
  });
}

/** Audit entries read per page when looking for a job's own record. */
const AUDIT_PAGE = 100;

/**
 * The answer of this job's own transaction for the manifest, if it landed: its `split.freeze`
 * audit entry is written in the same transaction and names the job. The job created the
 * manifest when the manifest's stored creation is that entry's (same instant and actor).
 */
export async function recordedByJob(
  deps: Pick<RecordDeps, 'lineage'>,
  manifestId: string,
  jobId: string,
): Promise<{ readonly created: boolean } | undefined> {
  const target = `split:${manifestId}`;
  let cursor: string | undefined;
  do {
    const page = await deps.lineage.listAudit(
      { target, action: 'split.freeze' },
      { limit: AUDIT_PAGE, ...(cursor === undefined ? {} : { cursor }) },
    );
    const own = page.items.find((entry) => entry.details?.jobId === jobId);
    if (own) {
      const stored = await deps.lineage.getManifest(manifestId);
      return { created: stored?.createdAt === own.at && stored.createdBy === own.actor };
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  return undefined;
}

/** Identity sets, then the report that names them, before the record that names the report. */
async function putLeakage(deps: RecordDeps, leakage: LeakageOutcome): Promise<void> {
  for (const name of SPLIT_NAMES) {
    const set = leakage.sets[name];
    await deps.blobs.put('identities', set.sha256, set.bytes, set.bytes.byteLength);
  }
  await deps.blobs.put('leakage', leakage.sha256, leakage.bytes, leakage.bytes.byteLength);
}
