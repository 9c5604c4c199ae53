/**
 * Peak RSS of each bomb from issue 13 at the reviewer's scale, each freeze in its own process,
 * under the default embedded budget and a small one. Writes the bombs to a temporary directory
 * (pyarrow writes the Parquet ones, from a dictionary, without holding them decoded).
 *
 *   tsx bench/bombs/main.ts [NAME-FILTER]   (needs the test venv: bash scripts/python-venv.sh)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_MAX_DECODED_BYTES } from '../../functions/config.js';
import { compressedLengthBomb, parquetEmptyLists } from '../../test/fixtures/arrow-input-bombs.js';
import {
  arrowOffsetBomb,
  sparseJsonLines,
  sparseStructJson,
  tinyNestedValues,
} from '../../test/fixtures/bombs.js';
import { parquetDictionaryRuns } from '../../test/fixtures/parquet-thrift.js';
import { runChild } from '../lib/run-child.js';

const root = join(import.meta.dirname, '..', '..');
const python = execFileSync('bash', [join(root, 'scripts', 'python-venv.sh')], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .at(-1)!;
const dir = mkdtempSync(join(tmpdir(), 'splitvault-bombs-'));
const budgets = [String(EMBEDDED_MAX_DECODED_BYTES), String(256 * 2 ** 20)];

function parquet(rows: number): string {
  const out = join(dir, `parquet-${rows}.parquet`);
  execFileSync(join(python, 'bin', 'python'), [
    join(import.meta.dirname, 'make-parquet-bomb.py'),
    String(rows),
    out,
  ]);
  return out;
}

function zstdArrow(rows: number): string {
  const out = join(dir, `zstd-${rows}.arrow`);
  execFileSync(join(python, 'bin', 'python'), [
    join(import.meta.dirname, 'make-zstd-arrow-bomb.py'),
    String(rows),
    out,
  ]);
  return out;
}

function file(name: string, bytes: Uint8Array): string {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}

const only = process.argv[2];
const cases: { name: string; input: () => string | Promise<string>; format: string }[] = [
  {
    name: 'Parquet, 2,000,000 × 1,000-char dictionary value',
    input: () => parquet(2_000_000),
    format: 'parquet',
  },
  {
    name: 'Parquet, 4,100,000 × 1,000-char dictionary value',
    input: () => parquet(4_100_000),
    format: 'parquet',
  },
  {
    name: 'Parquet, 4,096 × one 2 MB dictionary value',
    input: () => file('probe.parquet', parquetDictionaryRuns([{ rows: 4096, length: 2 * 2 ** 20 }])),
    format: 'parquet',
  },
  {
    name: "Parquet, 300,000 × 'a' then 5,000 × a 1 MB value",
    input: () =>
      file(
        'widening.parquet',
        parquetDictionaryRuns([
          { rows: 300_000, length: 1 },
          { rows: 5000, length: 2 ** 20 },
        ]),
      ),
    format: 'parquet',
  },
  {
    name: 'JSON Lines, 30,000 lines over 10,000 keys',
    input: () => file('sparse.jsonl', sparseJsonLines(30_000, 10_000)),
    format: 'jsonl',
  },
  {
    name: 'JSON Lines, one row of 300,000,000 tiny list values',
    input: () => file('tiny-nested.jsonl', tinyNestedValues(300_000_000)),
    format: 'jsonl',
  },
  {
    name: 'JSON, 30,000 rows, a struct naming 10,000 keys in its first row only',
    input: () => file('sparse-struct.json', sparseStructJson(30_000, 10_000)),
    format: 'json',
  },
  {
    name: 'Arrow, last utf8 offset 0x7fff0000',
    input: () => file('offset.arrow', arrowOffsetBomb()),
    format: 'arrow',
  },
  {
    name: 'Arrow stream, an LZ4 buffer declaring 1 TiB',
    input: () => file('lz4-declared.arrows', compressedLengthBomb('lz4')),
    format: 'arrow-stream',
  },
  {
    name: 'Arrow file, ZSTD, 48M int64 zeros (384 MiB decoded)',
    input: () => zstdArrow(48 * 2 ** 20),
    format: 'arrow',
  },
  {
    name: 'Parquet, 5,000,000 empty lists',
    input: async () => file('empty-lists.parquet', await parquetEmptyLists(5_000_000)),
    format: 'parquet',
  },
];

try {
  // Inputs are written lazily, so a filtered run builds only its own.
  for (const c of cases.filter((c) => !only || c.name.includes(only))) {
    const input = await c.input();
    for (const budget of budgets) {
      const { result } = await runChild<Record<string, unknown>>(
        process.execPath,
        [
          '--import',
          'tsx',
          join(import.meta.dirname, 'bomb-case.ts'),
          '--input',
          input,
          '--format',
          c.format,
          '--budget',
          budget,
        ],
        { cwd: root },
      );
      process.stdout.write(`${JSON.stringify({ name: c.name, ...result })}\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
