/**
 * Sort keys both lineage backends share, so their listings come out in the same order.
 */
import { ValidationError } from '../../core/errors.js';

/**
 * ISO times may carry any offset; comparing them as strings is only correct after moving
 * them to UTC with a fixed width, which toISOString gives (millisecond precision).
 */
export function utcSortKey(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new ValidationError('TIME.INVALID', `time ${JSON.stringify(iso)} is not ISO 8601`);
  return new Date(ms).toISOString();
}

/** Fixed-width revision so lexical order is numeric order (10 digits outlasts any alias). */
export function revisionKey(revision: number): string {
  return String(revision).padStart(10, '0');
}
