import type { Context } from 'hono';
import { ForbiddenError } from '../../core/errors.js';
import type { AppEnv } from '../context.js';

/** reader: every GET; writer: datasets, splits, verify; deployer: aliases. */
export type Role = 'reader' | 'writer' | 'deployer';
export const ALL_ROLES: ReadonlySet<Role> = new Set(['reader', 'writer', 'deployer']);

export interface Identity {
  readonly actor: string;
  readonly roles: ReadonlySet<Role>;
}

/** Finds who is calling; throws UnauthenticatedError when it can't tell. */
export interface Authenticator {
  authenticate(c: Context<AppEnv>): Identity | Promise<Identity>;
}

/** Throws unless the caller holds `role`; the message names both so a 403 is actionable. */
export function assertRole(identity: Identity, role: Role): void {
  if (!identity.roles.has(role)) {
    throw new ForbiddenError('AUTH.MISSING_ROLE', `${identity.actor} lacks the "${role}" role`);
  }
}
