import { ALL_ROLES, type Authenticator } from './identity.js';

/**
 * The embedded server without a tokens file: one local user holding every role. Safe only
 * because the server then listens on 127.0.0.1 (functions/handlers/node.ts enforces it).
 */
export function localUserAuthenticator(actor: string): Authenticator {
  const identity = { actor, roles: ALL_ROLES };
  return { authenticate: () => identity };
}
