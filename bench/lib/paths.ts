import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file so the benchmarks run from any working directory. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Generated datasets, cached by rows and seed (git-ignored). */
export const DATA_DIR = join(ROOT, 'bench', 'data');
/** Build output, split files and raw results (git-ignored). */
export const OUT_DIR = join(ROOT, 'bench', 'out');
