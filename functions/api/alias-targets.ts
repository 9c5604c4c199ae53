import { NotFoundError } from '../core/errors.js';
import type { CatalogSplit, LineageStore, SplitFilter } from '../core/ports.js';

/** How many distinct manifests `?alias=` reads from an alias's history. */
export const MAX_ALIAS_TARGETS = 100;

/**
 * The manifests an alias has pointed at (any revision), newest first like the catalog, with
 * the other filters applied. An alias's history is short, so this reads it whole and answers
 * in one page instead of indexing alias targets; more than MAX_ALIAS_TARGETS keeps the newest.
 */
export async function aliasTargets(
  lineage: LineageStore,
  alias: string,
  filter: SplitFilter,
): Promise<CatalogSplit[]> {
  if (!(await lineage.getAlias(alias))) throw new NotFoundError('ALIAS.NOT_FOUND', `no alias ${alias}`);
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await lineage.aliasHistory(alias, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const move of page.items) ids.add(move.manifestId);
    cursor = page.cursor;
  } while (cursor !== undefined && ids.size < MAX_ALIAS_TARGETS);
  const splits = await Promise.all(
    [...ids].slice(0, MAX_ALIAS_TARGETS).map(async (id) => {
      const [manifest, events] = await Promise.all([lineage.getManifest(id), lineage.listFreezeEvents(id)]);
      const version = events[0]?.provenance?.version;
      return manifest && { manifest, ...(version === undefined ? {} : { version }) };
    }),
  );
  return splits
    .filter((split): split is CatalogSplit => split !== undefined && matches(split, filter))
    .sort((a, b) => key(b).localeCompare(key(a)));
}

const key = (split: CatalogSplit) =>
  `${new Date(split.manifest.createdAt).toISOString()}#${split.manifest.id}`;

function matches({ manifest, version }: CatalogSplit, filter: SplitFilter): boolean {
  const at = Date.parse(manifest.createdAt);
  return (
    (filter.dataset === undefined || manifest.dataset.sha256 === filter.dataset) &&
    (filter.createdBy === undefined || manifest.createdBy === filter.createdBy) &&
    (filter.version === undefined || version === filter.version) &&
    (filter.from === undefined || at >= Date.parse(filter.from)) &&
    (filter.to === undefined || at <= Date.parse(filter.to))
  );
}
