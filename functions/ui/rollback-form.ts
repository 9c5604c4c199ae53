import type { Context } from 'hono';
import type { AppEnv } from '../api/context.js';
import { ForbiddenError } from '../core/errors.js';

/** The rollback request the API expects, read from the console's form. */
export interface RollbackBody {
  readonly reason: unknown;
  readonly expectedRevision: unknown;
  readonly toRevision?: unknown;
}

/**
 * Reads the rollback form. Only a console page may post it: browsers mark every request with
 * Sec-Fetch-Site, and a form another site submits says "cross-site". That matters where the
 * credentials are ambient (the loopback user, or a signing proxy on AWS) and a page elsewhere
 * could otherwise make the reader's browser roll an alias back.
 * Values are passed on as typed where they parse and as sent where they don't, so the API's
 * schema stays the one place that refuses a bad value.
 */
export async function rollbackForm(c: Context<AppEnv>): Promise<RollbackBody> {
  const site = c.req.header('sec-fetch-site');
  if (site !== 'same-origin') {
    throw new ForbiddenError(
      'UI.CROSS_SITE_FORM',
      `the console accepts forms from its own pages only (Sec-Fetch-Site: ${site ?? 'absent'})`,
    );
  }
  const form = await c.req.parseBody();
  const number = (value: unknown) => {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
    return n ?? value;
  };
  const toRevision = form.toRevision;
  return {
    reason: form.reason,
    expectedRevision: number(form.expectedRevision),
    ...(toRevision === undefined || toRevision === '' ? {} : { toRevision: number(toRevision) }),
  };
}
