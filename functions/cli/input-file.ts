import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { CliError, UsageError } from './cli-error.js';

/**
 * Checks a dataset path before anything is hashed or sent, so a typo is a usage error naming
 * the path rather than a raw ENOENT/EISDIR. An empty file is refused here with the service's
 * own code and words, because registration refuses 0-byte datasets before ingest could.
 * Messages name the path as the user wrote it (`shown`), not as resolved.
 */
export async function checkInputFile(path: string, shown = path): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
      throw new UsageError('CLI.FILE_NOT_FOUND', `file not found: ${shown}`);
    throw new UsageError('CLI.FILE_UNREADABLE', `cannot read file: ${shown}`, error.code);
  });
  if (!info.isFile()) throw new UsageError('CLI.NOT_A_FILE', `not a file: ${shown}`);
  await access(path, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError('CLI.FILE_UNREADABLE', `cannot read file: ${shown}`, error.code);
  });
  if (info.size === 0) {
    throw new CliError('DATASET.EMPTY', 'the dataset is empty (0 bytes)', {
      detail: `${shown} has no bytes; there is nothing to split`,
    });
  }
}
