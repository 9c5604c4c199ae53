import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from './cli-error.js';
import { checkInputFile } from './input-file.js';

/**
 * The files that `splitvault freeze PATH...` means, in row order. A directory stands for every
 * file under it (recursively; names starting with "." skipped), a glob for the files it
 * matches; the whole list is then sorted by the UTF-8 bytes of each path, with duplicates
 * dropped, so the order (and the dataset id) never depends on the shell, the locale or the
 * order of the arguments. Paths stay as the user wrote them, relative to `cwd`.
 */
export async function datasetPaths(cwd: string, args: readonly string[]): Promise<string[]> {
  const found = new Map<string, string>();
  for (const arg of args) {
    for (const path of await expand(cwd, arg)) found.set(resolve(cwd, path), path);
  }
  const paths = [...found.values()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const path of paths) await checkInputFile(resolve(cwd, path), path);
  return paths;
}

async function expand(cwd: string, arg: string): Promise<string[]> {
  const info = await stat(resolve(cwd, arg)).catch(() => undefined);
  if (info?.isDirectory()) {
    const under = await glob('**/*', {
      cwd: resolve(cwd, arg),
      onlyFiles: true,
      dot: false,
      expandDirectories: false,
    });
    if (under.length === 0) throw new UsageError('CLI.NO_FILES', `no files under directory ${arg}`);
    return under.map((path) => join(arg, path));
  }
  if (info || !isDynamicPattern(arg)) return [arg];
  const matched = await glob(arg, {
    cwd,
    onlyFiles: true,
    dot: false,
    expandDirectories: false,
    absolute: isAbsolute(arg),
  });
  if (matched.length === 0) throw new UsageError('CLI.NO_FILES', `no files match ${arg}`);
  return matched;
}
