import type { SplitSummary } from '../../schemas/api.js';
import type { StoredManifest } from '../../schemas/records.js';
import type { CatalogSplit, LineageStore } from '../core/ports.js';

/**
 * The catalog's manifests as the API lists them, each with its dataset's name. Names are read
 * once per distinct dataset on the page (one point read each), not stored with the manifest,
 * so a dataset renamed by a later registration shows its current name.
 */
export async function splitSummaries(
  lineage: LineageStore,
  splits: readonly CatalogSplit[],
): Promise<SplitSummary[]> {
  const shas = [...new Set(splits.map((split) => split.manifest.dataset.sha256))];
  const names = new Map(
    await Promise.all(shas.map(async (sha) => [sha, (await lineage.getDataset(sha))?.name] as const)),
  );
  return splits.map(({ manifest, version }) =>
    splitSummary(manifest, version, names.get(manifest.dataset.sha256)),
  );
}

/**
 * One manifest's catalog row; `version` and the dataset's `name` are left out when unknown.
 * The API's list and the console's search by id both show manifests through it.
 */
export function splitSummary(manifest: StoredManifest, version?: string, name?: string): SplitSummary {
  return {
    id: manifest.id,
    createdAt: manifest.createdAt,
    createdBy: manifest.createdBy,
    ...(version === undefined ? {} : { version }),
    strategy: manifest.spec.strategy,
    dataset: {
      sha256: manifest.dataset.sha256,
      ...(name === undefined ? {} : { name }),
      rows: manifest.dataset.rows,
      format: manifest.dataset.format,
    },
    rows: {
      train: manifest.splits.train.rows,
      validation: manifest.splits.validation.rows,
      test: manifest.splits.test.rows,
    },
  };
}
