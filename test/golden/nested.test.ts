import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingest } from '../../functions/core/ingest/index.js';
import { assignTable, splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SpecRequest, SplitSpec, type SplitSpecInput } from '../../schemas/spec.js';
import { itReproducesRecorded, outcomeOf } from './outcome.js';

/**
 * Golden vectors for nested and dictionary inputs (inputs/nested, made by its generate.py):
 * assignments, split-file hashes and manifest ids. The stream's batches carry three different
 * dictionaries, so its split files hold the unified one (SPLIT-SPEC.md §6.4).
 * After a deliberate change, rerun with SPLITVAULT_UPDATE_GOLDEN=1 and review the diff.
 */
const here = import.meta.dirname;
const expectedPath = join(here, 'nested-expected.json');
const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

const CASES: { name: string; input: string; spec: SplitSpecInput }[] = [
  { name: 'file-random', input: 'nested.arrow', spec: { seed: 3, ratios, strategy: 'random' } },
  {
    name: 'file-stratified-dictionary',
    input: 'nested.arrow',
    spec: { seed: 3, ratios, strategy: 'stratified', stratifyBy: 'label' },
  },
  {
    name: 'file-group',
    input: 'nested.arrow',
    spec: { seed: 3, ratios, strategy: 'group', groupBy: 'user' },
  },
  { name: 'file-hash', input: 'nested.arrow', spec: { seed: 3, ratios, strategy: 'hash', key: 'id' } },
  { name: 'file-time', input: 'nested.arrow', spec: { seed: 0, ratios, strategy: 'time', orderBy: 'id' } },
  {
    name: 'stream-stratified-unified-dictionary',
    input: 'nested.arrows',
    spec: { seed: 5, ratios, strategy: 'stratified', stratifyBy: 'label' },
  },
  {
    name: 'stream-hash-dictionary-group',
    input: 'nested.arrows',
    spec: { seed: 5, ratios, strategy: 'hash', groupBy: 'label' },
  },
  // Nested JSON (make_json.py): structs, lists, missing keys, a kind conflict as JSON text.
  { name: 'jsonl-random', input: 'nested.jsonl', spec: { seed: 11, ratios, strategy: 'random' } },
  {
    name: 'jsonl-stratified',
    input: 'nested.jsonl',
    spec: { seed: 11, ratios, strategy: 'stratified', stratifyBy: 'label' },
  },
  {
    name: 'jsonl-group-shuffle',
    input: 'nested.jsonl',
    spec: { seed: 11, ratios, strategy: 'group', groupBy: 'user', shuffle: true },
  },
  { name: 'json-hash', input: 'nested.json', spec: { seed: 11, ratios, strategy: 'hash', key: 'id' } },
  { name: 'json-time', input: 'nested.json', spec: { seed: 0, ratios, strategy: 'time', orderBy: 'id' } },
];

async function run(c: (typeof CASES)[number]) {
  const source = new Uint8Array(readFileSync(join(here, 'inputs/nested', c.input)));
  const spec = SplitSpec.parse(c.spec);
  const { manifest, artifacts } = await splitDataset(
    source,
    { sha256: sha256Hex(source), bytes: source.length },
    spec,
  );
  const { indices } = assignTable((await ingest(source)).table, spec);
  const outcome = outcomeOf(manifest, indices);
  return { outcome, artifacts };
}

describe('golden vectors of nested and dictionary inputs', async () => {
  const runs = await Promise.all(CASES.map(async (c) => ({ case: c, ...(await run(c)) })));
  itReproducesRecorded(expectedPath, runs);

  it.each(runs.map((r) => [r.case.name, r] as const))(
    'gives %s the same manifest id when asked through the API request schema',
    async (_name, r) => {
      const { seed, ...rest } = r.case.spec;
      // The API refuses a seed the strategy doesn't use (time without shuffle) and records 0.
      const asked = SpecRequest.parse(rest.strategy === 'time' && !rest.shuffle ? rest : r.case.spec);
      const source = new Uint8Array(readFileSync(join(here, 'inputs/nested', r.case.input)));
      const ref = { sha256: sha256Hex(source), bytes: source.length };
      expect((await splitDataset(source, ref, asked)).manifest.id).toBe(r.outcome.manifestId);
      expect(seed).toBeDefined();
    },
  );

  it('gives every split of the stream the unified dictionary: first batch, then new values in order', () => {
    const stream = runs.find((r) => r.case.input === 'nested.arrows')!;
    for (const name of SPLIT_NAMES) {
      const label = tableFromIPC(stream.artifacts[name]).getChild('label')!;
      expect(label.data[0]!.dictionary!.toArray()).toEqual([
        'eel',
        'fish',
        'bird',
        'dog',
        'cat',
        'ant',
        'owl',
      ]);
    }
  });
});
