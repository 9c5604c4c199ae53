import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import type { ClassShare } from '../../schemas/manifest.js';
import { SpecRequest, type SpecRequestInput, SplitSpec } from '../../schemas/spec.js';
import { itReproducesRecorded } from './outcome.js';
import { freezeCase } from './support/frozen-case.js';

/**
 * Golden vectors of the stratified-group strategy (SPLIT-SPEC.md §2.4.1), kept apart from
 * expected.json so no existing vector moves. Rerun with SPLITVAULT_UPDATE_GOLDEN=1 only after
 * a deliberate change, and review the diff.
 */
const here = import.meta.dirname;
const expectedPath = join(here, 'stratified-group.expected.json');
const python = join(here, '../../.tools/venv/bin/python');

const visits = (seed: number, train: number, validation: number, test: number, extra = {}) => ({
  strategy: 'stratified-group' as const,
  stratifyBy: 'label',
  groupBy: 'patient',
  seed,
  ratios: { train, validation, test },
  ...extra,
});

const CASES: { name: string; input: string; spec: SpecRequestInput }[] = [
  { name: 'visits-seed1', input: 'visits.csv', spec: visits(1, 0.7, 0.15, 0.15) },
  { name: 'visits-seed7', input: 'visits.csv', spec: visits(7, 0.6, 0.2, 0.2) },
  { name: 'visits-seed42-shuffle', input: 'visits.csv', spec: visits(42, 0.8, 0.1, 0.1, { shuffle: true }) },
  { name: 'visits-no-validation', input: 'visits.csv', spec: visits(3, 0.75, 0, 0.25) },
  {
    name: 'visits-one-row-groups',
    input: 'visits.csv',
    spec: visits(5, 0.7, 0.15, 0.15, { groupBy: 'visit' }),
  },
  {
    name: 'lumpy-seed1',
    input: 'lumpy.csv',
    spec: { ...visits(1, 0.7, 0.15, 0.15), stratifyBy: 'y', groupBy: 'site', format: 'csv' },
  },
  {
    name: 'lumpy-seed2',
    input: 'lumpy.csv',
    spec: { ...visits(2, 0.5, 0.25, 0.25), stratifyBy: 'y', groupBy: 'site' },
  },
  {
    name: 'subjects-seed1',
    input: 'subjects.arrow',
    spec: { ...visits(1, 0.7, 0.15, 0.15), groupBy: 'subject', format: 'arrow' },
  },
  {
    name: 'subjects-seed9',
    input: 'subjects.arrow',
    spec: { ...visits(9, 0.5, 0.3, 0.2), groupBy: 'subject', format: 'arrow' },
  },
];

interface Outcome {
  assignments: Record<string, number[]>;
  artifacts: Record<string, string>;
  classShares: ClassShare[];
  manifestId: string;
}

async function run(work: string, c: (typeof CASES)[number]) {
  const source = new Uint8Array(readFileSync(join(here, 'inputs/stratified-group', c.input)));
  const { manifest, indices, table, files, sourceArrow } = await freezeCase(
    work,
    c.name,
    source,
    SpecRequest.parse(c.spec),
  );
  const outcome: Outcome = {
    assignments: Object.fromEntries(SPLIT_NAMES.map((n) => [n, Array.from(indices[n])])),
    artifacts: Object.fromEntries(SPLIT_NAMES.map((n) => [n, manifest.splits[n].sha256])),
    classShares: manifest.classShares ?? [],
    manifestId: manifest.id,
  };
  return { outcome, manifest, files, sourceArrow, table };
}

describe('stratified-group golden vectors', async () => {
  const work = mkdtempSync(join(tmpdir(), 'splitvault-stratified-group-'));
  const runs: ({ case: (typeof CASES)[number] } & Awaited<ReturnType<typeof run>>)[] = [];
  for (const c of CASES) runs.push({ case: c, ...(await run(work, c)) });
  itReproducesRecorded(
    expectedPath,
    runs,
    'reproduces the recorded assignment, files, class shares and manifest id of %s',
  );
  const byName = runs.map((r) => [r.case.name, r] as const);

  it.each(byName)('keeps every group of %s inside one split', (_name, r) => {
    const groups = r.table.getChild(r.case.spec.groupBy!)!;
    const home = new Map<string, string>();
    for (const split of SPLIT_NAMES) {
      for (const row of r.outcome.assignments[split]!) {
        const key = String(groups.get(row));
        expect(home.get(key) ?? split).toBe(split);
        home.set(key, split);
      }
    }
  });

  it.each(byName)(
    'gives %s the same manifest id through the lenient stored-spec schema',
    async (_name, r) => {
      const source = new Uint8Array(readFileSync(join(here, 'inputs/stratified-group', r.case.input)));
      const ref = { sha256: sha256Hex(source), bytes: source.length };
      expect((await splitDataset(source, ref, SplitSpec.parse(r.case.spec))).manifest.id).toBe(
        r.outcome.manifestId,
      );
    },
  );

  it('agrees with the independent Python reimplementation written from the spec', () => {
    const index = join(work, 'run.json');
    const cases = runs.map((r) => ({
      name: r.case.name,
      source: r.sourceArrow,
      files: r.files,
      manifest: r.manifest,
      ...r.outcome,
    }));
    writeFileSync(index, JSON.stringify(cases));
    const out = execFileSync(python, [join(here, 'check_stratified_group.py'), index], { encoding: 'utf8' });
    expect(out).toContain(`checked ${runs.length} stratified-group cases`);
  });
});
