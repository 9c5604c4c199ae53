import type { SplitSummary } from '../../schemas/api.js';
import type { AliasRecord, DatasetRecord, StoredManifest } from '../../schemas/records.js';
import { splitSummary } from '../api/split-summaries.js';
import { ApiProblemError, type ApiReader, withQuery } from './api-reader.js';
import type { CatalogProps } from './pages/catalog.js';

/** How many of each the front page lists. */
const PAGE = 25;
const HEX_PREFIX = /^[0-9a-f]{8,64}$/;

/**
 * The catalog, or what matches `q`: aliases and dataset names starting with it, and, when it
 * reads as an id prefix (8+ hex characters), the manifest or dataset the API resolves it to.
 */
export async function catalogSearch(reader: ApiReader, q: string | undefined): Promise<CatalogProps> {
  const [aliases, datasets, splits] = await Promise.all([
    reader.get<{ items: AliasRecord[] }>(withQuery('/v1/aliases', { limit: '100' })),
    reader.get<{ items: DatasetRecord[] }>(withQuery('/v1/datasets', { limit: String(PAGE), prefix: q })),
    q
      ? Promise.resolve({ items: [] as SplitSummary[] })
      : reader.get<{ items: SplitSummary[] }>(`/v1/splits?limit=${PAGE}`),
  ]);
  let matchedAliases = aliases.items;
  let matchedDatasets = datasets.items;
  let summaries = splits.items;
  if (q) {
    const lower = q.toLowerCase();
    matchedAliases = aliases.items.filter((a) => a.name.toLowerCase().startsWith(lower));
    if (HEX_PREFIX.test(lower)) {
      const [manifest, dataset] = await Promise.all([
        optional(reader.get<{ manifest: StoredManifest }>(`/v1/splits/${lower}`)),
        optional(reader.get<DatasetRecord>(`/v1/datasets/${lower}`)),
      ]);
      if (dataset && !matchedDatasets.some((d) => d.sha256 === dataset.sha256)) {
        matchedDatasets = [dataset, ...matchedDatasets];
      }
      if (manifest) summaries = [splitSummary(manifest.manifest)];
      if (dataset) {
        const ofDataset = await reader.get<{ items: SplitSummary[] }>(
          `/v1/splits?dataset=${dataset.sha256}&limit=${PAGE}`,
        );
        summaries = [...summaries, ...ofDataset.items.filter((s) => !summaries.some((t) => t.id === s.id))];
      }
    }
  }
  // The list gives rows, not bytes: each manifest's size is its three files, read per manifest.
  const manifests = await Promise.all(
    summaries.map(async (summary) => {
      const { manifest } = await reader.get<{ manifest: StoredManifest }>(`/v1/splits/${summary.id}`);
      const { train, validation, test } = manifest.splits;
      return { summary, bytes: train.bytes + validation.bytes + test.bytes };
    }),
  );
  return { ...(q ? { query: q } : {}), aliases: matchedAliases, datasets: matchedDatasets, manifests };
}

/** The answer, or undefined for a 404 or 400 (a prefix that names nothing, or two things). */
async function optional<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof ApiProblemError && err.status < 500) return undefined;
    throw err;
  }
}
