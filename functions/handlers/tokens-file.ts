import { readFileSync, statSync } from 'node:fs';
import { TokensFile } from '../../schemas/config.js';
import { ConfigError } from '../config.js';

export interface ReadTokensFileOptions {
  /** Where the permission warning goes. @default a line on stderr */
  readonly warn?: (message: string) => void;
}

/**
 * Reads SPLITVAULT_TOKENS_FILE; any problem stops the server with the path in the message and
 * never a byte of the file, since every string in it is a secret (V8's JSON errors quote the
 * text around the fault). A file that group or others may open gets a warning: tokens are
 * credentials and the file should be 0600.
 */
export function readTokensFile(path: string, options: ReadTokensFileOptions = {}): TokensFile {
  const where = `SPLITVAULT_TOKENS_FILE=${JSON.stringify(path)}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${where}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    (options.warn ?? ((message) => console.error(message)))(
      `warning: ${where} has mode ${mode.toString(8).padStart(4, '0')}, so other users may read the tokens; chmod 600 it`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${where}: not valid JSON${syntaxErrorPlace(text, err)}`);
  }
  const parsed = TokensFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.length > 1 ? i.path.slice(1).join('.') : 'token'}: ${i.message}`,
    );
    throw new ConfigError(`${where}: ${[...new Set(problems)].join('; ')}`);
  }
  return parsed.data;
}

/** " at line L, column C" from the offset V8 reports, when it reports one; never the text. */
function syntaxErrorPlace(text: string, err: unknown): string {
  const offset = Number(/at position (\d+)/.exec((err as Error).message)?.[1]);
  if (!Number.isInteger(offset)) return '';
  const before = text.slice(0, offset).split('\n');
  return ` at line ${before.length}, column ${before.at(-1)!.length + 1}`;
}
