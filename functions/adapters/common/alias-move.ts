/**
 * What an alias move writes, built the same way by both lineage backends so the pointer and
 * its history entry carry identical fields whichever store holds them.
 */
import type { AliasMove, AliasRecord } from '../../../schemas/records.js';
import { RevisionConflictError } from '../../core/errors.js';
import type { AliasMoveRequest } from '../../core/ports.js';

/** The new pointer and its history entry for a move to `revision`. */
export function aliasMoveRecords(
  request: AliasMoveRequest,
  revision: number,
  previous: AliasRecord | undefined,
): { record: AliasRecord; move: AliasMove } {
  // The policy rides on the pointer and on every history entry, so history shows when it
  // changed; stored only when on, so the records of other aliases keep their old shape.
  const policy = (request.quarantine ?? previous?.quarantine) ? { quarantine: true as const } : {};
  const record: AliasRecord = {
    name: request.name,
    manifestId: request.manifestId,
    revision,
    updatedAt: request.at,
    updatedBy: request.actor,
    ...policy,
  };
  const move: AliasMove = {
    name: request.name,
    revision,
    manifestId: request.manifestId,
    ...(previous === undefined ? {} : { previousManifestId: previous.manifestId }),
    action: request.action,
    actor: request.actor,
    reason: request.reason,
    requestId: request.requestId,
    at: request.at,
    ...policy,
  };
  return { record, move };
}

/** The refusal of a move whose expected revision is stale, worded the same by both backends. */
export function aliasConflict(request: AliasMoveRequest, actual: number): RevisionConflictError {
  return new RevisionConflictError(
    `alias ${request.name} is at revision ${actual}, not the expected ${request.expectedRevision}`,
    { details: { name: request.name, expected: request.expectedRevision, actual } },
  );
}
