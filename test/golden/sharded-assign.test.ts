import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeSplit } from '../../functions/core/arrow/encode.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingestColumns } from '../../functions/core/ingest/index.js';
import { buildManifest, fieldInfos, normalizeSpec } from '../../functions/core/manifest.js';
import { assignShards, summarizeShard } from '../../functions/core/shard/sharded-assign.js';
import { decodeSummary, encodeSummary } from '../../functions/core/shard/summary-codec.js';
import { SPLIT_NAMES, type SplitName } from '../../schemas/common.js';
import { SpecRequest, type SpecRequestInput, SplitSpec } from '../../schemas/spec.js';
import { cutIntoShards } from '../core/shard/support/slice-columns.js';
import { GOLDEN_CASES } from './cases.js';

/**
 * The recorded golden vectors (expected.json, stratified-group.expected.json) reproduced by
 * the sharded assignment (SPLIT-SPEC.md §8) instead of the one-process one: same rows, split
 * file hashes (the files written by the one-process encoder from those rows), classShares and
 * manifest id, for several ways to cut each dataset. Reads the recorded files; writes nothing.
 */
const here = import.meta.dirname;
const recorded = (file: string) => JSON.parse(readFileSync(join(here, file), 'utf8'));

const sg = (name: string, input: string, spec: SpecRequestInput) => ({
  name,
  input: `stratified-group/${input}`,
  spec,
  expected: 'stratified-group.expected.json',
});
const visits = { strategy: 'stratified-group' as const, stratifyBy: 'label', groupBy: 'patient' };
// The same specs as stratified-group.test.ts records under these names.
const CASES = [
  ...GOLDEN_CASES.map((c) => ({ ...c, expected: 'expected.json' })),
  sg('visits-seed1', 'visits.csv', {
    ...visits,
    seed: 1,
    ratios: { train: 0.7, validation: 0.15, test: 0.15 },
  }),
  sg('visits-seed42-shuffle', 'visits.csv', {
    ...visits,
    seed: 42,
    shuffle: true,
    ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  }),
  sg('lumpy-seed1', 'lumpy.csv', {
    ...visits,
    stratifyBy: 'y',
    groupBy: 'site',
    format: 'csv',
    seed: 1,
    ratios: { train: 0.7, validation: 0.15, test: 0.15 },
  }),
  sg('subjects-seed9', 'subjects.arrow', {
    ...visits,
    groupBy: 'subject',
    format: 'arrow',
    seed: 9,
    ratios: { train: 0.5, validation: 0.3, test: 0.2 },
  }),
];

/** Cut lists: one shard, one-row first shard, thirds with empty shards around, every 7 rows. */
function cutsFor(rows: number): number[][] {
  const third = Math.floor(rows / 3);
  return [
    [],
    [1],
    [0, 0, third, third, 2 * third, rows],
    Array.from({ length: Math.floor(rows / 7) }, (_, i) => 7 * (i + 1)),
  ];
}

async function shardedOutcome(c: (typeof CASES)[number], cutsOf: (rows: number) => number[]) {
  const source = new Uint8Array(readFileSync(join(here, 'inputs', c.input)));
  const spec = c.expected === 'expected.json' ? SplitSpec.parse(c.spec) : SpecRequest.parse(c.spec);
  const { schema, rows, format, columns } = await ingestColumns(source, { format: spec.format });
  const shards = cutIntoShards(columns, rows, cutsOf(rows));
  const summaries = shards.map((shard) => decodeSummary(encodeSummary(summarizeShard(shard, spec))));
  const result = assignShards(summaries, spec);
  const indexOf = (split: SplitName): Uint32Array => {
    const shuffled = result.shuffledOrder(split);
    if (shuffled) return shuffled;
    const first = shards.map((_, s) => shards.slice(0, s).reduce((a, t) => a + t.rows, 0));
    return Uint32Array.from(
      shards.flatMap((_, s) => Array.from(result.rowsOf(s, split), (r) => r + first[s]!)),
    );
  };
  const assignments = Object.fromEntries(SPLIT_NAMES.map((k) => [k, indexOf(k)]));
  const files = Object.fromEntries(
    SPLIT_NAMES.map((k) => [k, encodeSplit(schema, columns, assignments[k]!)]),
  );
  const manifest = buildManifest({
    dataset: { sha256: sha256Hex(source), bytes: source.length, rows, format, schema: fieldInfos(schema) },
    spec: normalizeSpec(spec, format),
    splits: Object.fromEntries(
      SPLIT_NAMES.map((k) => [
        k,
        { sha256: sha256Hex(files[k]!), bytes: files[k]!.byteLength, rows: assignments[k]!.length },
      ]),
    ) as never,
    ...(result.classShares ? { classShares: result.classShares } : {}),
  });
  return {
    assignments: Object.fromEntries(SPLIT_NAMES.map((k) => [k, Array.from(assignments[k]!)])),
    artifacts: Object.fromEntries(SPLIT_NAMES.map((k) => [k, manifest.splits[k].sha256])),
    ...(result.classShares ? { classShares: result.classShares } : {}),
    manifestId: manifest.id,
  };
}

describe('golden vectors through the sharded assignment', () => {
  it.each(CASES.flatMap((c) => [0, 1, 2, 3].map((cut) => [c.name, cut, c] as const)))(
    'reproduces the recorded rows, file hashes and manifest id of %s under cut list %i',
    async (name, cut, c) => {
      const outcome = await shardedOutcome(c, (rows) => cutsFor(rows)[cut]!);
      expect(outcome).toEqual(recorded(c.expected)[name]);
    },
  );
});
