import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { AuditEntry } from '../../schemas/records.js';
import type { AppEnv } from './context.js';

export interface AuditFacts {
  readonly action: string;
  readonly target: string;
  readonly reason?: string;
  readonly details?: Record<string, unknown>;
}

/** An audit entry for the current request: who (identity), which request, and when. */
export function auditEntry(c: Context<AppEnv>, at: Date, facts: AuditFacts): AuditEntry {
  return {
    id: randomUUID(),
    at: at.toISOString(),
    actor: c.get('identity').actor,
    requestId: c.get('requestId'),
    ...facts,
  };
}
