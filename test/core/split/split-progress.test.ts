import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../functions/core/hash.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import type { JobProgress } from '../../../schemas/records.js';
import { SplitSpec } from '../../../schemas/spec.js';

const csv = new TextEncoder().encode(
  `id,kind\n${Array.from({ length: 30 }, (_, i) => `${i},${['a', 'b'][i % 2]}`).join('\n')}\n`,
);
const ref = { sha256: sha256Hex(csv), bytes: csv.length };
const spec = SplitSpec.parse({
  strategy: 'random',
  seed: 7,
  ratios: { train: 0.6, validation: 0.2, test: 0.2 },
});

describe('splitDataset progress', () => {
  it('reports ingest, assign, encode and hash in order, each from 0 to its total, with done never past total', async () => {
    const reports: JobProgress[] = [];
    await splitDataset(csv, ref, spec, { onProgress: (p) => reports.push(p) });
    const stages = reports.map((p) => p.stage).filter((s, i, all) => all[i - 1] !== s);
    expect(stages).toEqual(['ingest', 'assign', 'encode', 'hash']);
    for (const p of reports) expect(p.done).toBeLessThanOrEqual(p.total);
    for (const stage of stages) {
      const of = reports.filter((p) => p.stage === stage);
      expect(of[0]!.done).toBe(0);
      expect(of.at(-1)!.done).toBe(of.at(-1)!.total);
    }
    expect(reports.find((p) => p.stage === 'assign')!.total).toBe(30);
    expect(reports.find((p) => p.stage === 'encode')!.total).toBe(3);
  });

  it('gives the same manifest and files with a progress callback as without one', async () => {
    const plain = await splitDataset(csv, ref, spec);
    const observed = await splitDataset(csv, ref, spec, { onProgress: () => undefined });
    expect(observed.manifest).toEqual(plain.manifest);
    expect(observed.artifacts).toEqual(plain.artifacts);
  });
});
