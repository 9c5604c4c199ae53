import { ConflictError, NotFoundError } from '../core/errors.js';
import type { CatalogStore, IdKind, LineageStore } from '../core/ports.js';

/** How many candidates an ambiguous short id lists. */
export const MAX_CANDIDATES = 10;

const NOT_FOUND: Readonly<Record<IdKind, { code: string; noun: string }>> = {
  manifest: { code: 'SPLIT.NOT_FOUND', noun: 'split manifest' },
  dataset: { code: 'DATASET.NOT_FOUND', noun: 'dataset' },
  artifact: { code: 'BLOB.NOT_FOUND', noun: 'artifact or dataset' },
};

/**
 * The full id a path segment names: 64 hex characters as they are, a shorter prefix (8+,
 * checked by the param schema) when exactly one id starts with it. None is a 404 and
 * several a 409 `ID.AMBIGUOUS` listing the candidates, so a client can ask again precisely.
 */
export function resolveId(catalog: CatalogStore, kind: IdKind, ref: string): Promise<string> {
  return resolveAmong(catalog, [kind], NOT_FOUND[kind], ref);
}

/**
 * The stored bytes `/v1/artifacts/{ref}` names, resolved like `resolveId` among split
 * artifacts and datasets together (the route serves both); bytes that are both count once.
 */
export function resolveBlobRef(catalog: CatalogStore, ref: string): Promise<string> {
  return resolveAmong(catalog, ['artifact', 'dataset'], NOT_FOUND.artifact, ref);
}

async function resolveAmong(
  catalog: CatalogStore,
  kinds: readonly IdKind[],
  { code, noun }: { code: string; noun: string },
  ref: string,
): Promise<string> {
  if (ref.length === 64) return ref;
  const found = new Set<string>();
  for (const kind of kinds) {
    for (const id of await catalog.findIds(kind, ref, MAX_CANDIDATES + 1)) found.add(id);
  }
  if (found.size === 0) throw new NotFoundError(code, `no ${noun} id starts with ${ref}`);
  return onlyOne(ref, noun, [...found].sort());
}

/**
 * A manifest named by id, short id or `dataset-name@label`: the manifests whose first freeze
 * carried the label (the catalog's version filter), kept when their dataset has that name.
 */
export async function resolveManifestRef(
  deps: { readonly catalog: CatalogStore; readonly lineage: LineageStore },
  ref: string,
): Promise<string> {
  const at = ref.lastIndexOf('@');
  if (at < 0) return resolveId(deps.catalog, 'manifest', ref);
  const name = ref.slice(0, at);
  const version = ref.slice(at + 1);
  const ids: string[] = [];
  const names = new Map<string, string | undefined>();
  let cursor: string | undefined;
  do {
    const page = await deps.catalog.listSplits({ version }, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const { manifest } of page.items) {
      const sha = manifest.dataset.sha256;
      if (!names.has(sha)) names.set(sha, (await deps.lineage.getDataset(sha))?.name);
      if (names.get(sha) === name) ids.push(manifest.id);
    }
    cursor = page.cursor;
  } while (cursor !== undefined && ids.length <= MAX_CANDIDATES);
  if (ids.length === 0) {
    throw new NotFoundError(
      'SPLIT.NOT_FOUND',
      `no manifest of dataset "${name}" has version label "${version}"`,
    );
  }
  return onlyOne(ref, 'split manifest', ids.sort());
}

function onlyOne(ref: string, noun: string, found: readonly string[]): string {
  if (found.length === 1) return found[0]!;
  const candidates = found.slice(0, MAX_CANDIDATES);
  const more = found.length > MAX_CANDIDATES ? ' and more' : '';
  throw new ConflictError(
    'ID.AMBIGUOUS',
    `${ref} names ${candidates.length}${more} ${noun}s (${candidates.join(', ')}${more}); give one id`,
    { details: { candidates } },
  );
}
