import { Hono } from 'hono';
import type { DamagedBlobLog } from '../../core/ports.js';

/** At most this many damaged blobs are listed; `count` is always the full number. */
export const MAX_LISTED_DAMAGE = 100;

/**
 * Liveness, plus the damage the blob store has recorded. It never re-hashes anything: the
 * record is a short list kept by the store (reads that failed their hash, cleared by repair),
 * so load balancers can poll it. `degraded` still answers 200: the service works, but some
 * stored bytes need their owner to upload them again.
 */
export function healthRoutes(version: string, damage?: DamagedBlobLog): Hono {
  return new Hono().get('/', async (c) => {
    const base = { service: 'splitvault', version };
    const damaged = damage ? await damage.listDamaged() : [];
    if (damaged.length === 0) return c.json({ status: 'ok', ...base });
    return c.json({
      status: 'degraded',
      ...base,
      damagedBlobs: {
        count: damaged.length,
        items: damaged
          .slice(0, MAX_LISTED_DAMAGE)
          .map(({ kind, sha256, foundAt }) => ({ kind, sha256, foundAt })),
      },
    });
  });
}
