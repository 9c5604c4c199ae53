import type { Context } from 'hono';
import type { DatasetRecord } from '../../schemas/records.js';
import { auditEntry } from './audit-entry.js';
import type { AppEnv } from './context.js';
import type { AppDeps } from './deps.js';

/** What a registration request says of its dataset. */
export interface DatasetRegistration {
  readonly sha256: string;
  readonly bytes: number;
  /** The files of a many-file dataset, in order. */
  readonly files?: DatasetRecord['files'];
  readonly name?: string;
  readonly mediaType?: string;
  /** Registered for a multipart upload (POST /v1/uploads), which its audit entry says. */
  readonly multipart?: boolean;
}

/** Per lineage store, the last registration time this process gave (ms since the epoch). */
const lastRegistered = new WeakMap<object, number>();

/**
 * `at`, or one millisecond past the last registration this process made in the same store if
 * `at` isn't later: "the latest registration" is ordered by time, and two registrations of one
 * dataset in the same millisecond must still come out in the order they were made.
 */
function registrationTime(store: object, at: Date): Date {
  const ms = Math.max(at.getTime(), (lastRegistered.get(store) ?? Number.NEGATIVE_INFINITY) + 1);
  lastRegistered.set(store, ms);
  return ms === at.getTime() ? at : new Date(ms);
}

/**
 * Records who registered a dataset, and when, together with its dataset.register audit entry
 * (one write, so the audit log can't miss a registration), the same way for every route that
 * registers: one file, a multipart upload, many files. Answers the stored record.
 */
export async function registerDataset(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'lineage'>,
  requestedAt: Date,
  dataset: DatasetRegistration,
): Promise<DatasetRecord> {
  const at = registrationTime(deps.lineage, requestedAt);
  const described = {
    ...(dataset.name ? { name: dataset.name } : {}),
    ...(dataset.mediaType ? { mediaType: dataset.mediaType } : {}),
  };
  const registration: DatasetRecord = {
    sha256: dataset.sha256,
    bytes: dataset.bytes,
    ...(dataset.files ? { files: dataset.files } : {}),
    ...described,
    createdAt: at.toISOString(),
    createdBy: c.get('identity').actor,
  };
  const audit = auditEntry(c, at, {
    action: 'dataset.register',
    target: `dataset:${dataset.sha256}`,
    details: {
      bytes: dataset.bytes,
      ...(dataset.files ? { files: dataset.files.length } : {}),
      ...described,
      ...(dataset.multipart ? { multipart: true } : {}),
    },
  });
  await deps.lineage.registerDataset(registration, audit);
  return registration;
}
