/**
 * Rules both lineage backends apply identically, so the conformance suite can hold them to
 * the same answers.
 */
import { ConflictError, ValidationError } from '../../core/errors.js';

/** Jobs in these states are final: their record is evidence and no longer changes. */
export const FINISHED_JOB_STATES: ReadonlySet<string> = new Set(['succeeded', 'failed']);

/**
 * A freeze writes the manifest, its event, its dataset edge and 4 audit index items in one
 * DynamoDB transaction (100 items at most), which leaves room for this many parents. The
 * embedded store enforces the same bound so both backends accept the same manifests.
 */
export const MAX_MANIFEST_PARENTS = 93;

/** Parents without duplicates or self-references, in a stable order, within the bound. */
export function normaliseParents(manifestId: string, parents: readonly string[]): string[] {
  const unique = [...new Set(parents)].filter((parent) => parent !== manifestId).sort();
  if (unique.length > MAX_MANIFEST_PARENTS) {
    throw new ValidationError(
      'LINEAGE.TOO_MANY_PARENTS',
      `a manifest may have at most ${MAX_MANIFEST_PARENTS} parents, got ${unique.length}`,
    );
  }
  return unique;
}

/** The refusal to change a finished job, worded the same by both backends. */
export function jobFinished(id: string, state: string): ConflictError {
  return new ConflictError('JOB.ALREADY_FINISHED', `job ${id} already ${state} and can't change`, {
    details: { id, state },
  });
}
