import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';
import { sha256Hex } from '../../../functions/core/hash.js';
import { assignSplits } from '../../../functions/core/split/assign.js';
import { allocateClasses } from '../../../functions/core/split/stratified-allocation.js';
import { assignStratifiedGroup } from '../../../functions/core/split/stratified-group.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import { IRRELEVANT_FIELD, SpecRequest, type SpecRequestInput, SplitSpec } from '../../../schemas/spec.js';
import { makeTable, range } from './table-fixtures.js';

const arbRatios = fc
  .tuple(fc.integer({ min: 1, max: 98 }), fc.integer({ min: 1, max: 98 }))
  .filter(([a, b]) => a + b < 100)
  .map(([a, b]) => ({ train: a / 100, validation: b / 100, test: (100 - a - b) / 100 }));
const arbSeed = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
/** Rows as (group, class) pairs: few groups and classes, so groups hold several classes. */
const arbRows = fc.array(fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 4 })), {
  minLength: 1,
  maxLength: 300,
});

function columnsOf(rows: readonly (readonly [number, number])[]) {
  const table = makeTable({
    g: ['int', rows.map(([g]) => g)],
    c: ['utf8', rows.map(([, c]) => `class-${c}`)],
  });
  return flattenTable(table);
}

const spec = (seed: number, ratios: SplitSpec['ratios'], extra = {}) =>
  SplitSpec.parse({ strategy: 'stratified-group', stratifyBy: 'c', groupBy: 'g', seed, ratios, ...extra });

/** Split of each row, or an empty-split refusal (few groups can leave a split with none). */
function splits(rows: readonly (readonly [number, number])[], s: SplitSpec): number[] | 'empty' {
  try {
    const out = assignSplits(columnsOf(rows), rows.length, s);
    const of = new Array<number>(rows.length).fill(-1);
    [out.train, out.validation, out.test].forEach((list, k) => {
      for (const r of list) {
        expect(of[r]).toBe(-1);
        of[r] = k;
      }
    });
    return of;
  } catch (e) {
    expect((e as { code?: string }).code).toBe('SPEC.EMPTY_SPLIT');
    return 'empty';
  }
}

describe('stratified-group properties', () => {
  it('puts every row in exactly one split and never lets a group span two', () => {
    fc.assert(
      fc.property(arbRows, arbRatios, arbSeed, fc.boolean(), (rows, ratios, seed, shuffle) => {
        const of = splits(rows, spec(seed, ratios, { shuffle }));
        fc.pre(of !== 'empty');
        expect(of).not.toContain(-1);
        const home = new Map<number, number>();
        rows.forEach(([g], i) => {
          expect(home.get(g) ?? of[i]).toBe(of[i]);
          home.set(g, of[i]!);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same assignment for the same rows and spec, whatever the row order', () => {
    fc.assert(
      fc.property(arbRows, arbRatios, arbSeed, fc.integer(), (rows, ratios, seed, salt) => {
        const of = splits(rows, spec(seed, ratios));
        fc.pre(of !== 'empty');
        expect(splits(rows, spec(seed, ratios))).toEqual(of);
        // Groups, classes and their counts do not depend on row order, so neither does a group's split.
        const moved = rows
          .map((r, i) => [r, (i * 2654435761 + salt) >>> 0] as const)
          .sort((a, b) => a[1] - b[1]);
        const again = splits(
          moved.map(([r]) => r),
          spec(seed, ratios),
        ) as number[];
        moved.forEach(([[g]], i) => {
          expect(again[i]).toBe(of[rows.findIndex(([h]) => h === g)]);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('reaches exactly the stratified per-class counts when every group is one row', () => {
    fc.assert(
      fc.property(arbRows, arbRatios, arbSeed, (pairs, ratios, seed) => {
        const rows = pairs.map(([, c], i) => [i, c] as const);
        const cols = columnsOf(rows);
        const { classes } = assignStratifiedGroup(cols[1]!, cols[0]!, ratios, seed);
        const sizes = classes.keys.map((_, c) => classes.counts[c]!.reduce((a, b) => a + b, 0));
        expect(classes.counts).toEqual(allocateClasses(sizes, ratios));
      }),
      { numRuns: 150 },
    );
  });

  it('never places a group in a split whose ratio is 0', () => {
    fc.assert(
      fc.property(arbRows, fc.integer({ min: 1, max: 99 }), arbSeed, (rows, train, seed) => {
        const of = splits(rows, spec(seed, { train: train / 100, validation: 0, test: (100 - train) / 100 }));
        fc.pre(of !== 'empty');
        expect(of).not.toContain(1);
      }),
      { numRuns: 100 },
    );
  });
});

describe('stratified-group', () => {
  it('splits the worked example of the spec as the spec says', () => {
    const rows = [
      ['A', 'x'],
      ['A', 'x'],
      ['B', 'y'],
      ['C', 'x'],
      ['C', 'y'],
      ['D', 'y'],
    ];
    const cols = flattenTable(
      makeTable({ g: ['utf8', rows.map((r) => r[0]!)], c: ['utf8', rows.map((r) => r[1]!)] }),
    );
    const { splitOf, classes } = assignStratifiedGroup(
      cols[1]!,
      cols[0]!,
      { train: 0.5, validation: 0.5, test: 0 },
      1,
    );
    expect(Array.from(splitOf)).toEqual([1, 1, 1, 0, 0, 1]);
    expect(classes.counts).toEqual([
      [1, 2, 0],
      [1, 2, 0],
    ]);
  });

  it.each([
    ['groupBy', { groupBy: 'nope' }],
    ['stratifyBy', { stratifyBy: 'nope' }],
  ])('refuses a missing %s column from the Arrow schema before decoding a value', async (field, patch) => {
    const arrow = new Uint8Array(
      readFileSync(join(import.meta.dirname, '../../golden/inputs/stratified-group/subjects.arrow')),
    );
    const asked = SplitSpec.parse({
      ...spec(1, { train: 0.8, validation: 0.1, test: 0.1 }),
      stratifyBy: 'label',
      groupBy: 'subject',
      format: 'arrow',
      ...patch,
    });
    await expect(
      splitDataset(arrow, { sha256: sha256Hex(arrow), bytes: arrow.length }, asked, { maxDecodedBytes: 1 }),
    ).rejects.toMatchObject({ code: 'SPEC.UNKNOWN_COLUMN', details: { field } });
  });

  it('refuses a label column with more than 256 classes', () => {
    const cols = flattenTable(makeTable({ g: ['int', range(300)], c: ['int', range(300)] }));
    expect(() => assignSplits(cols, 300, spec(1, { train: 0.8, validation: 0.1, test: 0.1 }))).toThrow(
      expect.objectContaining({ code: 'SPEC.TOO_MANY_CLASSES' }),
    );
  });

  it('records class shares only in stratified-group manifests, and the other strategies as before', async () => {
    const csv = new TextEncoder().encode(
      `id,g,c\n${range(30)
        .map((i) => `${i},${i % 6},${'ab'[i % 2]}`)
        .join('\n')}\n`,
    );
    const ref = { sha256: sha256Hex(csv), bytes: csv.length };
    const ratios = { train: 0.5, validation: 0.25, test: 0.25 };
    const group = await splitDataset(
      csv,
      ref,
      SplitSpec.parse({ strategy: 'group', groupBy: 'g', seed: 1, ratios }),
    );
    expect(group.manifest).not.toHaveProperty('classShares');
    const sg = await splitDataset(csv, ref, spec(1, ratios));
    expect(sg.manifest.classShares?.map((s) => s.key)).toEqual(['7361', '7362']);
    expect(sg.manifest.classShares?.[0]?.overall).toBe(0.5);
  });
});

describe('stratified-group requests', () => {
  const ratios = { train: 0.5, validation: 0.25, test: 0.25 };
  const base = { strategy: 'stratified-group', stratifyBy: 'c', groupBy: 'g', seed: 1, ratios } as const;

  it.each<[SpecRequestInput, string]>([
    [{ ...base, key: 'id' }, 'key'],
    [{ ...base, orderBy: 'ts' }, 'orderBy'],
  ])('refuses %j with SPEC.IRRELEVANT_FIELD naming %s', (input, field) => {
    const result = SpecRequest.safeParse(input);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: [field], params: { code: IRRELEVANT_FIELD } }),
    ]);
  });

  it.each(['stratifyBy', 'groupBy', 'seed'] as const)('needs %s', (field) => {
    const { [field]: _left, ...rest } = base;
    const result = SpecRequest.safeParse(rest);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: [field], message: `strategy "stratified-group" needs ${field}` }),
    ]);
  });

  it('accepts both columns with shuffle', () => {
    expect(SpecRequest.parse({ ...base, shuffle: true })).toEqual({ ...base, shuffle: true });
  });
});
