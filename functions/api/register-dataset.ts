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

/**
 * Records who registered a dataset, and when, together with its dataset.register audit entry
 * (one write, so the audit log can't miss a registration), the same way for every route that
 * registers: one file, a multipart upload, many files. Answers the stored record.
 */
export async function registerDataset(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, 'lineage'>,
  at: Date,
  dataset: DatasetRegistration,
): Promise<DatasetRecord> {
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
