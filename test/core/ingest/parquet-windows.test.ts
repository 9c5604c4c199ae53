import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeBudget } from '../../../functions/core/ingest/decode-budget.js';
import { readByRowGroup } from '../../../functions/core/ingest/parquet-rowgroups.js';

const python = join(import.meta.dirname, '../../../.tools/venv/bin/python');
const MiB = 2 ** 20;
let dir = '';
let bytes = new Uint8Array(0);

// The benchmark's rows (uuid, group, label, timestamp, numbers, 100-char text) as one
// 50,000-row group: its dictionaries and first pages alone pass an eighth of a 25 MiB budget,
// and each further row adds to the bound, which once cut the read into 50,000 one-row calls.
const root = join(import.meta.dirname, '../../..');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parquet-windows-'));
  execFileSync(python, [
    join(root, 'bench/scale/scale_data.py'),
    '50000',
    '42',
    'parquet',
    dir,
    '1',
    '50000',
  ]);
  bytes = new Uint8Array(readFileSync(join(dir, 'part-00000.parquet')));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads with a budget, counting the decoder's calls. */
async function read(budgetBytes: number): Promise<{ table: Table; calls: number }> {
  const wasm = await import('parquet-wasm');
  let calls = 0;
  const counting = {
    ...wasm,
    readParquet: (...args: Parameters<typeof wasm.readParquet>) => {
      // Stop a runaway read here (one call per row would take hours) so the test fails, not hangs.
      if (++calls > 200) throw new Error(`more than 200 decoder calls for ${bytes.length} bytes`);
      return wasm.readParquet(...args);
    },
  };
  const table = await readByRowGroup(counting, bytes, undefined, undefined, new DecodeBudget(budgetBytes));
  if (!table || !('numRows' in table)) throw new Error('expected a flat table');
  return { table, calls };
}

describe('Parquet decode windows', () => {
  it("read a big row group under a small budget in a few calls, not one call per row, to the unbudgeted read's values", async () => {
    const whole = await read(Number.POSITIVE_INFINITY);
    const small = await read(25 * MiB);
    expect(small.calls).toBeGreaterThan(1);
    expect(small.calls).toBeLessThan(50);
    expect(small.table.numRows).toBe(50_000);
    for (const name of ['id', 'label', 'text']) {
      expect(small.table.getChild(name)?.toArray()).toEqual(whole.table.getChild(name)?.toArray());
    }
  });
});
