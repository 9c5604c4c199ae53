import { randomUUID } from 'node:crypto';
import type { VerifyFailure, VerifyResult } from '../../schemas/api.js';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import type { Manifest } from '../../schemas/manifest.js';
import type { JobProgress, StoredManifest } from '../../schemas/records.js';
import { NotFoundError } from '../core/errors.js';
import type { JobContext } from './freeze.js';
import { hashStoredDataset, needsShards, rebuildInShards } from './freeze-sharded.js';
import type { JobDeps } from './job-deps.js';
import type { VerifyJobInput } from './job-input.js';
import { rehashBlob } from './read-blob.js';
import { type DatasetSource, readDataset, splitSource } from './read-dataset.js';
import { loadStickyParent } from './sticky-parent.js';

/**
 * Rebuilds a manifest's splits from the stored dataset and compares every hash, then
 * re-hashes the stored artifacts so bytes changed in storage are reported too. `ok` is true
 * only when both hold: a split that reproduces from a dataset while its stored files rotted
 * is not one a user can trust.
 */
export async function verify(
  deps: JobDeps,
  input: VerifyJobInput,
  context: JobContext,
): Promise<VerifyResult> {
  const report = context.onProgress ?? (() => undefined);
  const manifest = await deps.lineage.getManifest(input.manifestId);
  if (!manifest) throw new NotFoundError('SPLIT.NOT_FOUND', `no split manifest ${input.manifestId}`);
  const size = manifest.dataset.bytes;
  report({ stage: 'upload-check', done: 0, total: size });
  const expected = {
    manifestId: manifest.id,
    train: manifest.splits.train.sha256,
    validation: manifest.splits.validation.sha256,
    test: manifest.splits.test.sha256,
  };
  // A dataset past the worker's budget is re-hashed and rebuilt in shards, as it was frozen.
  const { sticky } = manifest;
  const sharded =
    deps.sharding && !sticky && needsShards(size, deps.sharding.workerMemory) ? deps.sharding : undefined;
  const source = sharded
    ? await hashStoredDataset(deps.blobs, manifest.dataset)
    : await readDataset(deps.blobs, manifest.dataset);
  const storage = await checkStorage(
    deps,
    expected,
    { expected: manifest.dataset.sha256, actual: source.sha256 },
    source.damaged,
  );
  report({ stage: 'upload-check', done: size, total: size });
  let checked: Omit<VerifyResult, 'ok' | 'failures'>;
  if (source.sha256 !== manifest.dataset.sha256) {
    checked = {
      reproducible: false,
      expected,
      actual: {},
      storage,
      detail: `stored dataset ${manifest.dataset.sha256} now hashes to ${source.sha256}`,
    };
  } else {
    const rebuilt = sharded
      ? await rebuildInShards(deps.blobs, manifest.dataset, manifest.spec, sharded, {
          maxDecodedBytes: deps.maxDecodedBytes,
          onProgress: report,
        })
      : await rebuildInOneProcess(deps, source as Awaited<ReturnType<typeof readDataset>>, manifest, report);
    const actual = {
      manifestId: rebuilt.id,
      train: rebuilt.splits.train.sha256,
      validation: rebuilt.splits.validation.sha256,
      test: rebuilt.splits.test.sha256,
    };
    const same = (Object.keys(expected) as (keyof typeof expected)[]).every((k) => expected[k] === actual[k]);
    checked = { reproducible: same, expected, actual, storage };
  }
  const failures = failuresOf(manifest.id, checked);
  const result: VerifyResult = { ok: failures.length === 0, failures, ...checked };
  const at = (deps.now ?? (() => new Date()))().toISOString();
  report({ stage: 'record', done: 0, total: 1 });
  await deps.lineage.appendAudit({
    id: randomUUID(),
    at,
    actor: context.actor,
    action: 'split.verify',
    target: `split:${manifest.id}`,
    requestId: input.requestId,
    details: {
      jobId: context.jobId,
      ok: result.ok,
      reproducible: result.reproducible,
      storageIntact: storage.intact,
      damaged: storage.damaged?.length ?? 0,
    },
  });
  report({ stage: 'record', done: 1, total: 1 });
  return result;
}

async function checkStorage(
  deps: JobDeps,
  expected: Readonly<Record<SplitName, string>>,
  dataset: { readonly expected: string; readonly actual: string },
  damagedFiles: DatasetSource['damaged'],
): Promise<VerifyResult['storage']> {
  const entries = await Promise.all(
    SPLIT_NAMES.map(async (name) => {
      const actual = (await rehashBlob(deps.blobs, 'artifact', expected[name])) ?? null;
      return [name, { expected: expected[name], actual }] as const;
    }),
  );
  const splits = Object.fromEntries(entries) as VerifyResult['storage']['splits'];
  const damaged: NonNullable<VerifyResult['storage']['damaged']> = [];
  // A many-file dataset names each damaged file; one file is the dataset itself.
  for (const file of damagedFiles)
    damaged.push({ kind: 'dataset', sha256: file.sha256, actual: file.actual });
  for (const [, split] of entries) {
    if (split.actual !== null && split.actual !== split.expected) {
      damaged.push({ kind: 'artifact', sha256: split.expected, actual: split.actual });
    }
  }
  const intact = damaged.length === 0 && SPLIT_NAMES.every((name) => splits[name]?.actual === expected[name]);
  return { intact, splits, dataset, damaged };
}

/**
 * Every reason the verify failed. A rotted dataset is reported as such rather than as
 * "not reproducible": the rebuild could not run, so the dataset is the cause to repair.
 */
function failuresOf(manifestId: string, checked: Omit<VerifyResult, 'ok' | 'failures'>): VerifyFailure[] {
  const failures: VerifyFailure[] = [];
  const { dataset } = checked.storage;
  const datasetDamaged = dataset !== undefined && dataset.actual !== dataset.expected;
  if (datasetDamaged) failures.push({ reason: 'dataset-damaged', sha256: dataset.expected });
  if (!checked.reproducible && !datasetDamaged)
    failures.push({ reason: 'not-reproducible', sha256: manifestId });
  for (const split of SPLIT_NAMES) {
    const stored = checked.storage.splits[split];
    if (!stored || stored.actual === stored.expected) continue;
    const reason = stored.actual === null ? 'artifact-missing' : 'artifact-damaged';
    failures.push({ reason, sha256: stored.expected, split });
  }
  return failures;
}

/** The one-process engine on the dataset as read; a sticky manifest is rebuilt from its parent's split files. */
async function rebuildInOneProcess(
  deps: JobDeps,
  source: Awaited<ReturnType<typeof readDataset>>,
  manifest: StoredManifest,
  report: (progress: JobProgress) => void,
): Promise<Manifest> {
  const { sticky } = manifest;
  const parent = sticky ? await loadStickyParent(deps, sticky.parent, sticky.by) : undefined;
  const rebuilt = await splitSource(source, manifest.dataset, manifest.spec, {
    maxDecodedBytes: deps.maxDecodedBytes,
    onProgress: report,
    leakage: false,
    ...(parent ? { sticky: parent } : {}),
  });
  return rebuilt.manifest;
}
