import { randomUUID } from 'node:crypto';
import type { VerifyResult } from '../../schemas/api.js';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import { NotFoundError } from '../core/errors.js';
import { splitDataset } from '../core/split-dataset.js';
import type { JobDeps } from './job-deps.js';
import type { VerifyJobInput } from './job-input.js';
import { readBlob, rehashBlob } from './read-blob.js';

/**
 * Rebuilds a manifest's splits from the stored dataset and compares every hash, then
 * re-hashes the stored artifacts so bytes changed in storage are reported too.
 */
export async function verify(
  deps: JobDeps,
  input: VerifyJobInput,
  context: { readonly jobId: string; readonly actor: string },
): Promise<VerifyResult> {
  const manifest = await deps.lineage.getManifest(input.manifestId);
  if (!manifest) throw new NotFoundError('SPLIT.NOT_FOUND', `no split manifest ${input.manifestId}`);
  const expected = {
    manifestId: manifest.id,
    train: manifest.splits.train.sha256,
    validation: manifest.splits.validation.sha256,
    test: manifest.splits.test.sha256,
  };
  const source = await readBlob(deps.blobs, 'dataset', manifest.dataset.sha256);
  const storage = await checkStorage(deps, expected, {
    expected: manifest.dataset.sha256,
    actual: source.sha256,
  });
  let result: VerifyResult;
  if (source.sha256 !== manifest.dataset.sha256) {
    result = {
      reproducible: false,
      expected,
      actual: {},
      storage,
      detail: `stored dataset ${manifest.dataset.sha256} now hashes to ${source.sha256}`,
    };
  } else {
    const rebuilt = await splitDataset(
      source.bytes,
      { sha256: source.sha256, bytes: source.bytes.byteLength },
      manifest.spec,
      { maxDecodedBytes: deps.maxDecodedBytes },
    );
    const actual = {
      manifestId: rebuilt.manifest.id,
      train: rebuilt.manifest.splits.train.sha256,
      validation: rebuilt.manifest.splits.validation.sha256,
      test: rebuilt.manifest.splits.test.sha256,
    };
    const same = (Object.keys(expected) as (keyof typeof expected)[]).every((k) => expected[k] === actual[k]);
    result = { reproducible: same, expected, actual, storage };
  }
  const at = (deps.now ?? (() => new Date()))().toISOString();
  await deps.lineage.appendAudit({
    id: randomUUID(),
    at,
    actor: context.actor,
    action: 'split.verify',
    target: `split:${manifest.id}`,
    requestId: input.requestId,
    details: {
      jobId: context.jobId,
      reproducible: result.reproducible,
      storageIntact: storage.intact,
      damaged: storage.damaged?.length ?? 0,
    },
  });
  return result;
}

async function checkStorage(
  deps: JobDeps,
  expected: Readonly<Record<SplitName, string>>,
  dataset: { readonly expected: string; readonly actual: string },
): Promise<VerifyResult['storage']> {
  const entries = await Promise.all(
    SPLIT_NAMES.map(async (name) => {
      const actual = (await rehashBlob(deps.blobs, 'artifact', expected[name])) ?? null;
      return [name, { expected: expected[name], actual }] as const;
    }),
  );
  const splits = Object.fromEntries(entries) as VerifyResult['storage']['splits'];
  const damaged: NonNullable<VerifyResult['storage']['damaged']> = [];
  if (dataset.actual !== dataset.expected) {
    damaged.push({ kind: 'dataset', sha256: dataset.expected, actual: dataset.actual });
  }
  for (const [, split] of entries) {
    if (split.actual !== null && split.actual !== split.expected) {
      damaged.push({ kind: 'artifact', sha256: split.expected, actual: split.actual });
    }
  }
  const intact = damaged.length === 0 && SPLIT_NAMES.every((name) => splits[name]?.actual === expected[name]);
  return { intact, splits, dataset, damaged };
}
