import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const python = join(import.meta.dirname, '../../../.tools/venv/bin/python');
const MAKE = `
import sys, pyarrow as pa, pyarrow.parquet as pq
n = 20_000
t = pa.table({"id": pa.array(range(n), pa.int64()), "s": pa.array([f"value {i * 7919 % 10007}" for i in range(n)])})
pq.write_table(t, sys.argv[1], row_group_size=1000, use_dictionary=False, compression="snappy", write_page_index=False)
`;

/**
 * A Parquet file of 20,000 rows in 20 row groups of 1,000, written by pyarrow: an int64 `id`
 * and a string `s`, plain-encoded and snappy-compressed with no page index, so a test can
 * find and damage one chunk's page bytes or footer fields by offset.
 */
export function twentyRowGroupParquet(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'twenty-row-groups-'));
  try {
    execFileSync(python, ['-c', MAKE, join(dir, 'twenty.parquet')]);
    return new Uint8Array(readFileSync(join(dir, 'twenty.parquet')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
