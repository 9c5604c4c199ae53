import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { sha256Hex } from '../../../functions/core/hash.js';
import { rowIdentityFromJson } from '../../../functions/core/leakage/identity-from-json.js';
import { rowIdentities } from '../../../functions/core/leakage/row-identity.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { DatasetFormat } from '../../../schemas/spec.js';
import { SplitSpec } from '../../../schemas/spec.js';
import { rowJson } from './row-to-json.js';

/**
 * For random datasets the real engine ingests and splits, every row of every split file, read
 * back with apache-arrow and written as JSON the way docs/SPLIT-SPEC.md §8.6 says, has the
 * identity `rowIdentities` gives that row of the file.
 */
const here = import.meta.dirname;
const python = join(here, '../../../.tools/venv/bin/python');
const work = mkdtempSync(join(tmpdir(), 'splitvault-identity-json-'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function checkEveryRow(source: Uint8Array, format: DatasetFormat, seed: number): Promise<number> {
  const spec = SplitSpec.parse({
    strategy: 'random',
    seed,
    format,
    ratios: { train: 0.5, validation: 0.25, test: 0.25 },
  });
  const { manifest, artifacts } = await splitDataset(
    source,
    { sha256: sha256Hex(source), bytes: source.length },
    spec,
  );
  let checked = 0;
  for (const name of SPLIT_NAMES) {
    const table = tableFromIPC(artifacts[name]);
    const columns = flattenTable(table);
    const ids = rowIdentities(columns, table.numRows);
    for (let i = 0; i < table.numRows; i++) {
      const style = { iso: i % 3 === 0, strings: i % 2 === 0, arrays: i % 5 === 4 };
      const text = rowJson(columns, i, style);
      const got = hex(rowIdentityFromJson(manifest.dataset.schema, text));
      expect({ row: text, id: got }).toEqual({ row: text, id: hex(ids.subarray(i * 32, i * 32 + 32)) });
      checked++;
    }
  }
  return checked;
}

/** Random CSV text: ints, floats, bools, text with quotes, timestamps, empty cells (nulls). */
const csvCell = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
  fc.constantFrom('true', 'false', '', '2024-02-29', '2024-02-29T12:30:00.25+01:00'),
  fc.string({ maxLength: 6 }).map((s) => `"${s.replaceAll('"', '""')}"`),
);

/**
 * Random JSON Lines rows whose columns each keep one kind (ingest refuses mixed kinds, §1.4.2):
 * lists, structs, lists of lists, numbers past 2^53 as floats, text that reads as timestamps.
 */
const finite = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  // Integer text past 2^53 is refused inside nested values (§1.4.2), so leave it out.
  .filter((x) => !Number.isInteger(x) || Math.abs(x) <= 2 ** 53);
const jsonRow = fc.record({
  a: fc.option(fc.array(fc.option(fc.integer()), { maxLength: 3 })),
  b: fc.option(
    fc.record({
      p: fc.option(fc.string({ maxLength: 4 })),
      q: fc.array(finite, { maxLength: 2 }),
    }),
  ),
  c: fc.option(fc.oneof(fc.integer(), finite)),
  'c d': fc.integer(),
  e: fc.option(fc.boolean()),
  f: fc.option(fc.constantFrom('2024-02-29T23:59:59.5Z', '1999-12-31', '2000-01-01T00:00:00-07:30')),
  g: fc.option(
    fc.array(fc.array(fc.option(fc.string({ maxLength: 3 })), { maxLength: 2 }), { maxLength: 2 }),
  ),
});

describe('row identity from JSON, against split files the engine wrote', () => {
  it.each(['parquet', 'arrow', 'arrow-stream'] as const)(
    'gives every row of random %s datasets of every carried type the identity of its split-file row',
    async (format) => {
      const seeds = [1, 2, 3, 4, 5, 6];
      execFileSync(python, [join(here, 'random_table.py'), format, '40', work, ...seeds.map(String)]);
      let checked = 0;
      for (const seed of seeds) {
        const source = new Uint8Array(readFileSync(join(work, `${seed}.${format}`)));
        checked += await checkEveryRow(source, format, seed);
      }
      expect(checked).toBe(seeds.length * 40);
    },
  );

  it('gives every row of random CSV datasets the identity of its split-file row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.array(
            fc
              .array(csvCell, { minLength: width, maxLength: width })
              // A one-column row whose cell is empty is a blank line, which CSV ingest skips
              // (§1.3); with too few rows left the split refuses with SPEC.EMPTY_SPLIT.
              .filter((row) => row.join(',') !== ''),
            { minLength: 4, maxLength: 30 },
          ),
        ),
        fc.nat(),
        async (rows, seed) => {
          const header = rows[0]!.map((_, c) => `c${c}`).join(',');
          const text = [header, ...rows.map((r) => r.join(','))].join('\n');
          await checkEveryRow(new TextEncoder().encode(`${text}\n`), 'csv', seed);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives every row of random JSON Lines datasets, nested values included, the identity of its split-file row', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonRow, { minLength: 4, maxLength: 30 }), fc.nat(), async (rows, seed) => {
        const text = rows.map((r) => JSON.stringify(r)).join('\n');
        await checkEveryRow(new TextEncoder().encode(`${text}\n`), 'jsonl', seed);
      }),
      { numRuns: 60 },
    );
  });
});
