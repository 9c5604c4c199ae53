/** Builders for lineage records, so tests state only what they are about. */
import { createHash } from 'node:crypto';
import type { AliasMoveRequest } from '../../functions/core/ports.js';
import type { AuditEntry, DatasetRecord, FreezeEvent, Job, StoredManifest } from '../../schemas/records.js';

export function sha(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

/** Times a fixed distance apart from a fixed origin, so orderings are deterministic. */
export function minute(n: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
}

let auditCounter = 0;

export function audit(overrides: Partial<AuditEntry> = {}): AuditEntry {
  auditCounter += 1;
  return {
    id: `audit-${auditCounter}-${Math.random().toString(36).slice(2, 8)}`,
    at: minute(auditCounter % 1000),
    actor: 'alice',
    action: 'dataset.register',
    target: 'dataset/x',
    requestId: `req-${auditCounter}`,
    ...overrides,
  };
}

export function dataset(label: string): DatasetRecord {
  return { sha256: sha(label), bytes: 10, name: `${label}.csv`, createdAt: minute(0), createdBy: 'alice' };
}

export function manifest(label: string, datasetLabel = 'data'): StoredManifest {
  const artifact = (split: string) => ({ sha256: sha(`${label}/${split}`), bytes: 100, rows: 10 });
  return {
    id: sha(`manifest/${label}`),
    algorithm: 'split-v1',
    dataset: {
      sha256: sha(datasetLabel),
      bytes: 10,
      rows: 30,
      format: 'csv',
      schema: [{ name: 'x', type: 'Int64', nullable: false }],
    },
    spec: { strategy: 'random', seed: 7, ratios: { train: 0.8, validation: 0.1, test: 0.1 }, shuffle: false },
    splits: { train: artifact('train'), validation: artifact('validation'), test: artifact('test') },
    achievedRatios: { train: 0.8, validation: 0.1, test: 0.1 },
    createdAt: minute(1),
    createdBy: 'alice',
  };
}

export function freezeEvent(manifestId: string, at: string, requestId: string): FreezeEvent {
  return { manifestId, at, actor: 'alice', requestId, service: { version: 'test' } };
}

export function job(id: string, state: Job['state'] = 'queued'): Job {
  return {
    id,
    kind: 'freeze',
    state,
    createdAt: minute(0),
    updatedAt: minute(0),
    actor: 'alice',
    input: { n: 1 },
  };
}

export function move(
  name: string,
  manifestId: string,
  expectedRevision: number,
  at: string,
  overrides: Partial<AliasMoveRequest> = {},
): AliasMoveRequest {
  return {
    name,
    manifestId,
    expectedRevision,
    action: 'alias.set',
    actor: 'alice',
    reason: 'promote',
    requestId: `req-${name}-${expectedRevision}`,
    at,
    audit: audit({ action: 'alias.set', target: `alias/${name}`, at }),
    ...overrides,
  };
}
