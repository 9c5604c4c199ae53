import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { assignSplits } from '../../../functions/core/split/assign.js';
import { splitCounts } from '../../../functions/core/split/counts.js';
import { allocateClasses } from '../../../functions/core/split/stratified-allocation.js';
import { SplitSpec } from '../../../schemas/spec.js';
import { makeTable, range } from './table-fixtures.js';

/** Ratios with every split positive, summing to exactly what zod accepts. */
const arbRatios = fc
  .tuple(fc.integer({ min: 1, max: 98 }), fc.integer({ min: 1, max: 98 }))
  .filter(([a, b]) => a + b < 100)
  .map(([a, b]) => ({ train: a / 100, validation: b / 100, test: (100 - a - b) / 100 }));
const arbSeed = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

function dataset(n: number, classes: number) {
  const table = makeTable({ id: ['int', range(n)], k: ['int', range(n).map((i) => (i * 7919) % classes)] });
  return { table, columns: flattenTable(table) };
}

function splitOf(s: Record<string, Uint32Array>, n: number): string[] {
  const out = new Array<string>(n);
  for (const [name, rows] of Object.entries(s)) for (const r of rows) out[r] = name;
  return out;
}

describe('split-v1 properties', () => {
  it('assigns each row to exactly one split with the exact random counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 400 }), arbRatios, arbSeed, (n, ratios, seed) => {
        const counts = splitCounts(n, ratios);
        fc.pre(counts.every((c) => c > 0));
        const { columns } = dataset(n, 5);
        const s = assignSplits(columns, n, SplitSpec.parse({ strategy: 'random', seed, ratios }));
        expect([s.train.length, s.validation.length, s.test.length]).toEqual(counts);
        expect(new Set([...s.train, ...s.validation, ...s.test]).size).toBe(n);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every stratum within one of its ideal share and the totals of random', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 30 }),
        arbRatios,
        (sizes, ratios) => {
          const n = sizes.reduce((a, b) => a + b, 0);
          const totals = splitCounts(n, ratios);
          const alloc = allocateClasses(sizes, ratios);
          alloc.forEach((row, c) => {
            expect(row[0] + row[1] + row[2]).toBe(sizes[c]);
            row.forEach((x, k) => {
              expect(Math.abs(x - (sizes[c]! * totals[k]!) / n)).toBeLessThan(1);
            });
          });
          totals.forEach((t, k) => {
            expect(alloc.reduce((a, row) => a + row[k]!, 0)).toBe(t);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lets a group span two splits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 300 }),
        fc.integer({ min: 10, max: 40 }),
        arbSeed,
        (n, groups, seed) => {
          const { columns } = dataset(n, groups);
          const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
          let s: Record<string, Uint32Array>;
          try {
            s = assignSplits(columns, n, SplitSpec.parse({ strategy: 'group', groupBy: 'k', seed, ratios }));
          } catch {
            return; // too few groups to fill every split is a refusal, not a property failure
          }
          const where = splitOf(s, n);
          const home = new Map<number, string>();
          for (const i of range(n)) {
            const g = (i * 7919) % groups;
            expect(home.get(g) ?? where[i]).toBe(where[i]);
            home.set(g, where[i]!);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('leaves hash assignments of existing rows unchanged when rows are appended', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 1, max: 100 }),
        arbSeed,
        (n, extra, seed) => {
          const spec = SplitSpec.parse({
            strategy: 'hash',
            key: 'id',
            seed,
            ratios: { train: 0.5, validation: 0.25, test: 0.25 },
          });
          const assign = (m: number) => {
            const t = makeTable({ id: ['int', range(m)] });
            return splitOf(assignSplits(flattenTable(t), m, { ...spec }), m);
          };
          try {
            const before = assign(n);
            expect(assign(n + extra).slice(0, n)).toEqual(before);
          } catch (e) {
            expect((e as { code?: string }).code).toBe('SPEC.EMPTY_SPLIT');
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same assignment for the same input and spec, and a different one for another seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 500 }), arbSeed, arbSeed, (n, a, b) => {
        fc.pre(a !== b);
        const { columns } = dataset(n, 7);
        for (const extra of [
          { strategy: 'random' },
          { strategy: 'stratified', stratifyBy: 'k' },
          { strategy: 'hash', key: 'id' },
        ]) {
          const spec = (seed: number) =>
            SplitSpec.parse({ seed, ratios: { train: 0.6, validation: 0.2, test: 0.2 }, ...extra });
          const first = splitOf(assignSplits(columns, n, spec(a)), n);
          expect(splitOf(assignSplits(columns, n, spec(a)), n)).toEqual(first);
          expect(splitOf(assignSplits(columns, n, spec(b)), n)).not.toEqual(first);
        }
      }),
      { numRuns: 40 },
    );
  });
});
