import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../bench/lib/paths.js';
import { generatorPython } from '../../bench/lib/python.js';

const ROWS = 3000;
const dir = mkdtempSync(join(tmpdir(), 'scale-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string, ...args: string[]): string {
  return execFileSync(generatorPython(), [join(ROOT, 'bench', ...script.split('/')), ...args], {
    encoding: 'utf8',
  });
}

describe('bench/scale/scale_data.py', () => {
  it("writes generate.py's CSV byte for byte, and its rows as Parquet cut into the files asked for", () => {
    run('generate.py', String(ROWS), '7', join(dir, 'all'));
    const csv = JSON.parse(run('scale/scale_data.py', String(ROWS), '7', 'csv', join(dir, 'csv')));
    expect(readFileSync(csv.files[0].path)).toEqual(readFileSync(join(dir, 'all', 'data.csv')));
    const parquet = JSON.parse(
      run('scale/scale_data.py', String(ROWS), '7', 'parquet', join(dir, 'pq'), '4'),
    );
    expect(parquet.files).toHaveLength(4);
    const same = execFileSync(
      generatorPython(),
      [
        '-c',
        'import sys, pyarrow.parquet as pq, pyarrow as pa\n' +
          'whole = pq.read_table(sys.argv[1])\n' +
          'parts = pa.concat_tables([pq.read_table(p) for p in sys.argv[2:]])\n' +
          'print(whole.equals(parts), [pq.ParquetFile(p).metadata.num_rows for p in sys.argv[2:]])',
        join(dir, 'all', 'data.parquet'),
        ...parquet.files.map((f: { path: string }) => f.path),
      ],
      { encoding: 'utf8' },
    ).trim();
    expect(same).toBe('True [750, 750, 750, 750]');
  });
});
