import { ConflictError, NotFoundError } from '../core/errors.js';
import type { CatalogStore, IdKind } from '../core/ports.js';

/** How many candidates an ambiguous short id lists. */
export const MAX_CANDIDATES = 10;

const NOT_FOUND: Readonly<Record<IdKind, { code: string; noun: string }>> = {
  manifest: { code: 'SPLIT.NOT_FOUND', noun: 'split manifest' },
  dataset: { code: 'DATASET.NOT_FOUND', noun: 'dataset' },
};

/**
 * The full id a path segment names: 64 hex characters as they are, a shorter prefix (8+,
 * checked by the param schema) when exactly one id starts with it. None is a 404 and
 * several a 409 `ID.AMBIGUOUS` listing the candidates, so a client can ask again precisely.
 */
export async function resolveId(catalog: CatalogStore, kind: IdKind, ref: string): Promise<string> {
  if (ref.length === 64) return ref;
  const found = await catalog.findIds(kind, ref, MAX_CANDIDATES + 1);
  const { code, noun } = NOT_FOUND[kind];
  if (found.length === 0) throw new NotFoundError(code, `no ${noun} id starts with ${ref}`);
  if (found.length === 1) return found[0]!;
  const candidates = found.slice(0, MAX_CANDIDATES);
  const more = found.length > MAX_CANDIDATES ? ' and more' : '';
  throw new ConflictError(
    'ID.AMBIGUOUS',
    `${ref} starts ${candidates.length}${more} ${noun} ids (${candidates.join(', ')}${more}); give more characters`,
    { details: { candidates } },
  );
}
