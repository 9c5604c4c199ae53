import { readFileSync } from 'node:fs';
import { TokensFile } from '../../schemas/config.js';
import { ConfigError } from '../config.js';

/** Reads SPLITVAULT_TOKENS_FILE; any problem stops the server with the path in the message. */
export function readTokensFile(path: string): TokensFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      `SPLITVAULT_TOKENS_FILE=${JSON.stringify(path)}: cannot read JSON (${(err as Error).message})`,
    );
  }
  const parsed = TokensFile.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map(
      (i) => `${i.path.length > 1 ? i.path.slice(1).join('.') : 'token'}: ${i.message}`,
    );
    throw new ConfigError(
      `SPLITVAULT_TOKENS_FILE=${JSON.stringify(path)}: ${[...new Set(where)].join('; ')}`,
    );
  }
  return parsed.data;
}
