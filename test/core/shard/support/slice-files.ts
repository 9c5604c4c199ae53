import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const python = join(import.meta.dirname, '../../../../.tools/venv/bin/python');
const MAKE_SLICES = join(import.meta.dirname, '../make_slices.py');

/**
 * The Parquet files of make_slices.py with several row groups each: every codec the engine
 * reads, dictionary and plain encodings, page index and statistics on and off, int96 and Bloom
 * filters. make_slices.py also writes `flat.parquet`, for tests that need flat columns only.
 */
export const SLICE_VARIANTS = [
  'snappy-dict-index-stats.parquet',
  'snappy-plain-bare.parquet',
  'zstd-dict-index-stats.parquet',
  'zstd-plain-bare.parquet',
  'gzip-dict-index-stats.parquet',
  'gzip-plain-bare.parquet',
  'none-dict-index-stats.parquet',
  'none-plain-bare.parquet',
  'int96-v2-bloom.parquet',
  'twenty.parquet',
] as const;

/** Where make_slices.py wrote its files for this suite, and a reader of one of them. */
export interface SliceFiles {
  readonly dir: string;
  file(name: string): Uint8Array;
}

/**
 * Registers the suite's setup and teardown: make_slices.py writes its files into a directory of
 * the suite's own (in beforeAll), removed afterwards.
 */
export function sliceFilesSuite(): SliceFiles {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shard-slice-'));
    execFileSync(python, [MAKE_SLICES, dir]);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    file: (name) => new Uint8Array(readFileSync(join(dir, name))),
  };
}
