import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scaleSection } from '../../bench/report/scale-section.js';
import { type ScaleCase, ScaleResults, type ScaleSample } from '../../bench/scale/scale-results.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scale-results-'));
  dirs.push(dir);
  return join(dir, 'results.json');
}

const ours = (workers: number): Omit<ScaleCase, 'samples'> => ({
  rows: 1000,
  format: 'csv',
  files: 1,
  inputBytes: 2 ** 20,
  contender: 'splitvault',
  workers,
  budgetBytes: 2 ** 28,
  engine: 'sharded',
  command: 'npm run bench',
});
const sample = (wallSeconds: number, manifestId = 'a'.repeat(64)): ScaleSample => ({
  wallSeconds,
  peakRssBytes: 2 ** 27,
  idleRssBytes: 2 ** 26,
  manifestId,
  rows: { train: 800, validation: 100, test: 100 },
  load: 1,
  date: '2026-11-30T00:00:00.000Z',
});

describe('ScaleResults', () => {
  it('replaces a case measured again by a later run and keeps the cases it did not measure', () => {
    const path = store();
    const first = new ScaleResults(path);
    first.add(ours(1), sample(10));
    first.add(ours(1), sample(11));
    first.add(ours(2), sample(6));
    const second = new ScaleResults(path);
    second.add(ours(1), sample(9));
    const byWorkers = new ScaleResults(path)
      .all()
      .map((c) => [c.workers, c.samples.map((s) => s.wallSeconds)]);
    expect(byWorkers).toEqual([
      [1, [9]],
      [2, [6]],
    ]);
  });
});

describe('scaleSection', () => {
  it('shows peak RSS as a share of the whole budget and says when worker counts gave the same manifest', () => {
    const text = scaleSection(
      [
        { ...ours(1), samples: [sample(10)] },
        { ...ours(2), samples: [sample(6)] },
      ],
      '- Date: now',
    );
    expect(text).toContain('256 MiB (50%)');
    expect(text).toContain('same (aaaaaaaa…)');
  });

  it('flags worker counts whose manifests differ', () => {
    const text = scaleSection(
      [
        { ...ours(1), samples: [sample(10)] },
        { ...ours(2), samples: [sample(6, 'b'.repeat(64))] },
      ],
      '- Date: now',
    );
    expect(text).toContain('DIFFER (2)');
  });

  it('puts each peer against the splitvault run with the most workers, with the target verdict', () => {
    const peer = {
      ...ours(1),
      contender: 'polars',
      workers: undefined,
      budgetBytes: undefined,
      engine: undefined,
    };
    const text = scaleSection(
      [
        { ...ours(1), samples: [sample(10)] },
        { ...ours(2), samples: [sample(5)] },
        { ...peer, samples: [{ ...sample(4), cpuSeconds: 6 }] },
      ],
      '- Date: now',
    );
    expect(text).toContain('polars 0.80× (target ≥1.3×: missed)');
  });
});
