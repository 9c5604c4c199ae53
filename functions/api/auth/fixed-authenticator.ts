import { ALL_ROLES, type Authenticator } from './identity.js';

/**
 * The embedded server without a tokens file: one local user holding every role. Safe only
 * because the server then listens on 127.0.0.1 and answers only loopback Host names
 * (functions/handlers/node.ts sets both; see ../loopback-host.ts).
 */
export function localUserAuthenticator(actor: string): Authenticator {
  const identity = { actor, roles: ALL_ROLES };
  return { authenticate: () => identity };
}
