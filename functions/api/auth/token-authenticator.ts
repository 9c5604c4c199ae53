import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../../core/errors.js';
import type { Authenticator, Identity, Role } from './identity.js';

export interface TokenGrant {
  readonly actor: string;
  readonly roles: readonly Role[];
}

interface HashedToken {
  readonly digest: Buffer;
  readonly identity: Identity;
}

/**
 * Bearer tokens from the tokens file. Both sides are hashed before timingSafeEqual so the
 * comparison time depends on neither the token's length nor its content, and every stored
 * token is compared so the position of a match leaks nothing either.
 */
export function tokenAuthenticator(tokens: Readonly<Record<string, TokenGrant>>): Authenticator {
  const hashed: HashedToken[] = Object.entries(tokens).map(([token, grant]) => ({
    digest: sha256(token),
    identity: { actor: grant.actor, roles: new Set(grant.roles) },
  }));
  return {
    authenticate(c) {
      const header = c.req.header('authorization') ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthenticatedError('send Authorization: Bearer <token>');
      const given = sha256(match[1]!);
      let found: Identity | undefined;
      for (const entry of hashed) {
        if (timingSafeEqual(entry.digest, given)) found = entry.identity;
      }
      if (!found) throw new UnauthenticatedError('the bearer token is not recognised');
      return found;
    },
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
