import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchFormat } from './config.js';
import { DATA_DIR, ROOT } from './paths.js';

/** What bench/generate.py records next to the files it wrote. */
export interface DatasetMeta {
  readonly rows: number;
  readonly seed: number;
  /** pyarrow's nbytes of the whole table: the in-memory Arrow size peak memory is compared to. */
  readonly arrowBytesInMemory: number;
  readonly files: Readonly<Record<BenchFormat, { readonly path: string; readonly bytes: number }>>;
}

/**
 * Generates the seeded dataset once per rows+seed into `dataDir` (bench/data by default) and
 * returns its description; later calls reuse the cached files.
 */
export function ensureDataset(rows: number, seed: number, python: string, dataDir = DATA_DIR): DatasetMeta {
  const dir = join(dataDir, `rows-${rows}-seed-${seed}`);
  const out = execFileSync(python, [join(ROOT, 'bench', 'generate.py'), String(rows), String(seed), dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').join('')) as DatasetMeta;
}
