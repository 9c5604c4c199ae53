import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../functions/core/hash.js';
import { ingestColumns } from '../../../functions/core/ingest/index.js';
import { merkleTree, sortedDistinct } from '../../../functions/core/leakage/merkle.js';
import { rowIdentities } from '../../../functions/core/leakage/row-identity.js';
import { assignTable, splitDataset } from '../../../functions/core/split-dataset.js';
import { LeakageReport } from '../../../schemas/leakage.js';
import { SpecRequest, type SpecRequestInput } from '../../../schemas/spec.js';
import {
  PLANTED_PAIRS,
  PLANTED_SPEC,
  PLANTED_SPLITS,
  plantedCsv,
} from '../../fixtures/planted-duplicates.js';

const freeze = (text: string, spec: SpecRequestInput) => {
  const bytes = new TextEncoder().encode(text);
  return splitDataset(bytes, { sha256: sha256Hex(bytes), bytes: bytes.length }, SpecRequest.parse(spec));
};

describe('leakage report', () => {
  it('reports exactly the planted duplicates within and across splits', async () => {
    const { leakage, manifest } = await freeze(plantedCsv(), PLANTED_SPEC);
    const report = LeakageReport.parse(leakage!.report);
    expect(report.manifestId).toBe(manifest.id);
    for (const [name, facts] of Object.entries(PLANTED_SPLITS)) {
      const split = report.splits[name as keyof typeof PLANTED_SPLITS];
      expect(split).toMatchObject(facts);
      expect(split.sha256).toBe(manifest.splits[name as keyof typeof PLANTED_SPLITS].sha256);
    }
    expect(report.pairs.map((p) => ({ ...p, examples: p.examples.map((e) => e.rows) }))).toEqual(
      PLANTED_PAIRS,
    );
    expect(report.keys).toBeUndefined();
  });

  it('stores each split identity set sorted and distinct, under its address, with its Merkle root', async () => {
    const text = plantedCsv();
    const { leakage } = await freeze(text, PLANTED_SPEC);
    const source = await ingestColumns(new TextEncoder().encode(text), { format: 'csv' });
    const ids = rowIdentities(source.columns, source.rows);
    const { indices } = assignTable(
      (await import('apache-arrow')).tableFromArrays({ x: new Float64Array(source.rows) }),
      SpecRequest.parse(PLANTED_SPEC),
    );
    for (const name of ['train', 'validation', 'test'] as const) {
      const mine = new Uint8Array(indices[name].length * 32);
      for (const [k, row] of indices[name].entries()) mine.set(ids.subarray(row * 32, row * 32 + 32), k * 32);
      const expected = sortedDistinct(mine);
      const set = leakage!.sets[name];
      expect(Buffer.from(set.bytes).equals(Buffer.from(expected))).toBe(true);
      expect(set.sha256).toBe(sha256Hex(expected));
      const split = leakage!.report.splits[name];
      expect(split.identities).toBe(set.sha256);
      expect(split.merkleRoot).toBe(Buffer.from(merkleTree(expected).root).toString('hex'));
    }
    expect(leakage!.sha256).toBe(sha256Hex(leakage!.bytes));
  });

  it('keeps the manifest id of a spec that leaves dedupe out or says "report"', async () => {
    const plain = await freeze(plantedCsv(), PLANTED_SPEC);
    const said = await freeze(plantedCsv(), { ...PLANTED_SPEC, dedupe: 'report' });
    expect(said.manifest.id).toBe(plain.manifest.id);
    expect(said.manifest.spec).not.toHaveProperty('dedupe');
    expect(said.leakage!.sha256).toBe(plain.leakage!.sha256);
  });

  it('records no report and no identity sets under dedupe "none"', async () => {
    const none = await freeze(plantedCsv(), { ...PLANTED_SPEC, dedupe: 'none' });
    expect(none.leakage).toBeUndefined();
    expect(none.manifest.spec.dedupe).toBe('none');
  });

  it('refuses dedupe "refuse" with SPEC.CROSS_SPLIT_DUPLICATES naming the pairs and examples', async () => {
    const refused = freeze(plantedCsv(), { ...PLANTED_SPEC, dedupe: 'refuse' });
    await expect(refused).rejects.toMatchObject({
      code: 'SPEC.CROSS_SPLIT_DUPLICATES',
      kind: 'unprocessable',
      details: {
        duplicates: expect.arrayContaining([
          expect.objectContaining({ splits: ['train', 'test'], sharedIdentities: 3, rows: [4, 3] }),
        ]),
      },
    });
  });

  it('lets dedupe "refuse" freeze a dataset whose only shared rows are in validation and test', async () => {
    const text = plantedCsv()
      .split('\n')
      .map((line, i) => (i === 8 || i === 10 || i === 20 || i === 4 ? `${i - 1},n,${i}` : line))
      .join('\n');
    const { leakage } = await freeze(text, { ...PLANTED_SPEC, dedupe: 'refuse' });
    expect(leakage!.report.pairs.map((p) => p.sharedIdentities)).toEqual([0, 0, 1]);
  });

  it('finds no key in two splits for a group split, and names the column', async () => {
    const { leakage } = await freeze(plantedCsv(), {
      strategy: 'group',
      groupBy: 'name',
      seed: 3,
      ratios: { train: 0.6, validation: 0.2, test: 0.2 },
    });
    expect(leakage!.report.keys).toEqual({ column: 'name', sharedKeys: 0, examples: [] });
  });

  it('lists at most 20 examples per pair, each with the smallest row of both splits, smallest first', async () => {
    const lines = ['v'];
    for (let i = 0; i < 400; i++) lines.push(String(i % 50));
    const { leakage } = await freeze(`${lines.join('\n')}\n`, PLANTED_SPEC);
    const { tableFromArrays } = await import('apache-arrow');
    const { indices } = assignTable(
      tableFromArrays({ v: new Float64Array(400) }),
      SpecRequest.parse(PLANTED_SPEC),
    );
    // Brute force: the smallest row of each value in each split.
    const first = (name: 'train' | 'validation' | 'test') => {
      const seen = new Map<number, number>();
      for (const row of [...indices[name]].sort((a, b) => a - b))
        if (!seen.has(row % 50)) seen.set(row % 50, row);
      return seen;
    };
    for (const pair of leakage!.report.pairs) {
      const [a, b] = [first(pair.splits[0]), first(pair.splits[1])];
      const expected = [...a]
        .filter(([v]) => b.has(v))
        .map(([v, row]) => [row, b.get(v)!])
        .sort((x, y) => x[0]! - y[0]!);
      expect(pair.sharedIdentities).toBe(expected.length);
      expect(pair.examples.map((e) => e.rows)).toEqual(expected.slice(0, 20));
    }
  });
});

describe('leakage option of the engine', () => {
  it('skips the report when asked, as verify does, and still refuses nothing then', async () => {
    const bytes = new TextEncoder().encode(plantedCsv());
    const spec = SpecRequest.parse({ ...PLANTED_SPEC, dedupe: 'refuse' });
    const outcome = await splitDataset(bytes, { sha256: sha256Hex(bytes), bytes: bytes.length }, spec, {
      leakage: false,
    });
    expect(outcome.leakage).toBeUndefined();
    expect(outcome.manifest.spec.dedupe).toBe('refuse');
  });
});
