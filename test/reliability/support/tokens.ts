import type { Role } from '../../../functions/api/auth/identity.js';

/** One token per role, one holding every role, and long random-looking values to grep logs for. */
export const TOKENS = {
  reader: 'rel-reader-7f3a9c21d4e8b605a1c2',
  writer: 'rel-writer-0b9e8d7c6a5f4e3d2c1b',
  deployer: 'rel-deployer-5e4d3c2b1a0f9e8d7c',
  admin: 'rel-admin-a1b2c3d4e5f60718293a4b',
  writerOnly: 'rel-writer-only-91c0ffee77d4a2b3',
  deployerOnly: 'rel-deployer-only-4d2e6f8a0b1c3e5',
} as const;

export const GRANTS: Readonly<Record<string, { actor: string; roles: Role[] }>> = {
  [TOKENS.reader]: { actor: 'rel-reader', roles: ['reader'] },
  [TOKENS.writer]: { actor: 'rel-writer', roles: ['reader', 'writer'] },
  [TOKENS.deployer]: { actor: 'rel-deployer', roles: ['reader', 'deployer'] },
  [TOKENS.admin]: { actor: 'rel-admin', roles: ['reader', 'writer', 'deployer'] },
  [TOKENS.writerOnly]: { actor: 'rel-writer-only', roles: ['writer'] },
  [TOKENS.deployerOnly]: { actor: 'rel-deployer-only', roles: ['deployer'] },
};

/** A token holding every role except `missing`. */
export function tokenLacking(missing: Role): string {
  const lacking = { reader: TOKENS.writerOnly, writer: TOKENS.deployer, deployer: TOKENS.writer } as const;
  return lacking[missing];
}
