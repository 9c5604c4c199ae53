import { Hono } from 'hono';
import { AuditQuery } from '../../../schemas/api.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { readQuery } from '../request.js';

/** The audit log, newest first, filtered by actor, action and target. */
export function auditRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    const { actor, action, target, limit, cursor } = readQuery(c, AuditQuery);
    return c.json(await deps.lineage.listAudit({ actor, action, target }, { limit, cursor }));
  });
}
