import { Hono } from 'hono';
import { JobParam } from '../../../schemas/api.js';
import { NotFoundError } from '../../core/errors.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { readParams } from '../request.js';

/** Job status: queued, running, succeeded (with manifestId) or failed (with a problem). */
export function jobRoutes(deps: AppDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/:id', async (c) => {
    const { id } = readParams(c, JobParam);
    const job = await deps.lineage.getJob(id);
    if (!job) throw new NotFoundError('JOB.NOT_FOUND', `no job ${id}`);
    return c.json(job);
  });
}
