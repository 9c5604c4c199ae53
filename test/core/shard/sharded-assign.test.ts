import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestColumns } from '../../../functions/core/ingest/index.js';
import { arbSpec } from './support/arbitraries.js';
import { OutcomeTally } from './support/coverage.js';
import { shardedOutcome, wholeOutcome } from './support/parity.js';
import { cutIntoShards } from './support/slice-columns.js';

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
const stamp = (day: number, second: number) => `2024-01-0${day}T00:00:${String(second).padStart(2, '0')}Z`;

/** One CSV row: ints with repeats, nullable ints, floats, text (quoted, non-ASCII), timestamps, bools. */
const arbCsvRow = fc
  .record({
    id: fc.integer({ min: -30, max: 30 }),
    g: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 5 }),
    f: fc.oneof(
      fc.constantFrom(0.5, -1.25, 2, 1e20, -0, 3.75),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    ),
    s: fc.constantFrom('a', 'b', 'B', 'é', 'ab', 'a b', '"x"', '日本', 'z,y'),
    t: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 9 })),
    tn: fc.option(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 9 })), { freq: 8 }),
    b: fc.boolean(),
  })
  .map(({ id, g, f, s, t, tn, b }) =>
    [id, g ?? '', f, quote(s), stamp(...t), tn ? stamp(...tn) : '', b].join(','),
  );

const csvOf = (rows: string[]) => new TextEncoder().encode(['id,g,f,s,t,tn,b', ...rows].join('\n'));
const arbCsv = fc.array(arbCsvRow, { minLength: 1, maxLength: 60 }).map(csvOf);
const arbLargeCsv = fc.array(arbCsvRow, { minLength: 100, maxLength: 600 }).map(csvOf);

const csvColumns = {
  stratify: ['g', 's', 'b', 'f', 'id', 't'],
  group: ['g', 's', 'id', 'f', 'tn'],
  hash: ['id', 's', 'f', 'g', 't', 'b'],
  order: ['id', 'f', 's', 't', 'tn', 'g'],
  sgStratify: ['g', 's', 'b'],
};

/** Runs the property: one CSV, one spec, random cuts, summaries in memory or through bytes. */
async function checkParity(csvs: fc.Arbitrary<Uint8Array>, numRuns: number): Promise<OutcomeTally> {
  const tally = new OutcomeTally();
  await fc.assert(
    fc.asyncProperty(
      csvs,
      arbSpec(csvColumns),
      fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 7 }),
      fc.boolean(),
      async (csv, spec, rawCuts, viaBytes) => {
        const { columns, rows } = await ingestColumns(csv, { format: 'csv' });
        const cuts = rawCuts.map((c) => c % (rows + 1)).sort((a, b) => a - b);
        const shards = cutIntoShards(columns, rows, cuts);
        const whole = wholeOutcome(columns, rows, spec);
        expect(shardedOutcome(shards, spec, viaBytes)).toEqual(whole);
        tally.add(spec, whole);
      },
    ),
    { numRuns },
  );
  return tally;
}

describe('sharded assignment on CSV ingested whole', () => {
  it('gives every split the rows, order, class shares and errors of the one-process engine, wherever the shards are cut', async () => {
    const tally = await checkParity(arbCsv, 500);
    tally.expectCovered(1, ['SPEC.EMPTY_SPLIT', 'SPEC.UNKNOWN_COLUMN', 'TIME.NULL_ORDER_VALUE']);
  });

  it('agrees on tables of hundreds of rows, where classes and groups span many shards', async () => {
    const tally = await checkParity(arbLargeCsv, 80);
    expect(tally.splits()).toBeGreaterThan(20);
  });
});
