import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingestColumns } from '../../functions/core/ingest/index.js';
import { assignSticky } from '../../functions/core/leakage/sticky.js';
import { stickyParentOf } from '../../functions/core/leakage/sticky-identities.js';
import { collectSplits } from '../../functions/core/split/assign.js';
import { type SplitOutcome, splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';

/**
 * Golden vectors of the sticky re-freeze (SPLIT-SPEC.md §8.5), kept apart from expected.json so
 * no existing vector moves. Each case freezes a parent, then a child dataset sticky to it, and
 * pins the child's rows per split, its drift report, split file hashes and manifest id. Rerun
 * with SPLITVAULT_UPDATE_GOLDEN=1 only after a deliberate change, and review the diff.
 */
const here = import.meta.dirname;
const expectedPath = join(here, 'sticky.expected.json');
const update = process.env.SPLITVAULT_UPDATE_GOLDEN === '1';
const python = join(here, '../../.tools/venv/bin/python');
const input = (name: string) => new Uint8Array(readFileSync(join(here, 'inputs/sticky', name)));

const r = (train: number, validation: number, test: number) => ({ train, validation, test });

interface Case {
  readonly name: string;
  readonly parent: string;
  readonly child: string;
  readonly spec: SpecRequestInput;
  /** The child's spec when it differs from the parent's. */
  readonly childSpec?: SpecRequestInput;
  readonly by?: string;
}

const CASES: Case[] = [
  {
    name: 'random',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'random', seed: 42, ratios: r(0.7, 0.15, 0.15) },
  },
  {
    name: 'random-shuffle',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'random', seed: 7, ratios: r(0.6, 0.2, 0.2), shuffle: true },
  },
  {
    name: 'random-keyed-by-id',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'random', seed: 3, ratios: r(0.6, 0.2, 0.2) },
    by: 'id',
  },
  {
    name: 'stratified',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'stratified', stratifyBy: 'label', seed: 1, ratios: r(0.6, 0.2, 0.2) },
  },
  {
    name: 'group-by-group',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'group', groupBy: 'g', seed: 5, ratios: r(0.6, 0.2, 0.2) },
    by: 'g',
  },
  {
    name: 'group-whole-row',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'group', groupBy: 'g', seed: 5, ratios: r(0.6, 0.2, 0.2) },
  },
  {
    name: 'hash',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'hash', key: 'id', seed: 9, ratios: r(0.7, 0.15, 0.15) },
  },
  {
    name: 'time',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'time', orderBy: 't', ratios: r(0.7, 0.15, 0.15) },
  },
  {
    name: 'stratified-group',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: {
      strategy: 'stratified-group',
      stratifyBy: 'label',
      groupBy: 'g',
      seed: 2,
      ratios: r(0.6, 0.2, 0.2),
    },
  },
  {
    name: 'child-drops-validation',
    parent: 'parent.csv',
    child: 'child.csv',
    spec: { strategy: 'random', seed: 42, ratios: r(0.7, 0.15, 0.15) },
    childSpec: { strategy: 'random', seed: 42, ratios: r(0.8, 0, 0.2) },
  },
  {
    name: 'duplicates-strictest-split',
    parent: 'dups.csv',
    child: 'dups-child.csv',
    spec: { strategy: 'random', seed: 4, ratios: r(0.5, 0.25, 0.25) },
  },
];

const freeze = (bytes: Uint8Array, spec: SpecRequestInput, sticky?: Parameters<typeof assignSticky>[4]) =>
  splitDataset(
    bytes,
    { sha256: sha256Hex(bytes), bytes: bytes.byteLength },
    SpecRequest.parse({ ...spec, format: 'csv' }),
    sticky ? { sticky } : {},
  );

/** What a case pins: the parent id, the child's rows per split, its report, files and id. */
async function outcomeOf(c: Case) {
  const parent: SplitOutcome = await freeze(input(c.parent), c.spec);
  const sticky = await stickyParentOf(parent.manifest.id, parent.artifacts, c.by);
  const childBytes = input(c.child);
  const childSpec = c.childSpec ?? c.spec;
  const child = await freeze(childBytes, childSpec, sticky);
  const spec = SpecRequest.parse({ ...childSpec, format: 'csv' });
  const { schema, columns, rows } = await ingestColumns(childBytes, { format: 'csv' });
  const { splitOf } = await assignSticky(schema, columns, rows, spec, sticky);
  const indices = collectSplits(splitOf, spec);
  return {
    parentId: parent.manifest.id,
    assignments: Object.fromEntries(SPLIT_NAMES.map((name) => [name, Array.from(indices[name])])),
    sticky: child.manifest.sticky,
    splits: Object.fromEntries(SPLIT_NAMES.map((name) => [name, child.manifest.splits[name].sha256])),
    manifestId: child.manifest.id,
  };
}

describe('golden vectors of the sticky re-freeze', async () => {
  const expected = update ? {} : (JSON.parse(readFileSync(expectedPath, 'utf8')) as Record<string, unknown>);
  const actual: Record<string, unknown> = {};

  it.each(CASES)('reproduces the pinned child split of case $name', async (c) => {
    actual[c.name] = await outcomeOf(c);
    if (!update) expect(actual[c.name]).toEqual(expected[c.name]);
  });

  it('pins a vector for every case and no other', () => {
    if (update) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    const pinned = update ? actual : expected;
    expect(Object.keys(pinned).sort()).toEqual(CASES.map((c) => c.name).sort());
  });

  it('agrees with the independent Python reimplementation written from the spec', () => {
    // Specs as the engine reads them (defaults filled), so Python sees exactly the same fields.
    const cases = CASES.map((c) => ({
      ...c,
      spec: SpecRequest.parse(c.spec),
      ...(c.childSpec ? { childSpec: SpecRequest.parse(c.childSpec) } : {}),
    }));
    const index = join(mkdtempSync(join(tmpdir(), 'sticky-golden-')), 'cases.json');
    writeFileSync(index, JSON.stringify(cases));
    const out = execFileSync(python, [join(here, 'check_sticky.py'), index, expectedPath], {
      encoding: 'utf8',
    });
    expect(out).toContain(`checked ${CASES.length} sticky cases`);
  });
});
