import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../functions/core/errors.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { freezeSharded } from '../../functions/core/shard/sharded-freeze.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';
import { memorySink } from '../core/shard/support/freeze-parity.js';
import { memorySource } from '../core/shard/support.js';

/**
 * Golden vectors of which refusal comes first (SPLIT-SPEC.md §9.3) and of time's order values
 * (§2.4: NaN, nulls, ±0, infinities), in one process and in shards. An outside implementation
 * written from the spec alone matched all of them under four shard cuts. The inputs are made by
 * inputs/refusals/make_inputs.py; rerun with SPLITVAULT_UPDATE_GOLDEN=1 only after a deliberate
 * change, and review the diff.
 */
const here = import.meta.dirname;
const inputs = join(here, 'inputs', 'refusals');
const expectedPath = join(here, 'refusals.expected.json');
const update = process.env.SPLITVAULT_UPDATE_GOLDEN === '1';

interface Case {
  readonly name: string;
  readonly input: string;
  readonly spec: SpecRequestInput;
}

type Outcome =
  | { readonly refused: string; readonly details: unknown }
  | { readonly artifacts: Record<string, string>; readonly manifestId: string };

const CASES = JSON.parse(readFileSync(join(inputs, 'cases.json'), 'utf8')) as Case[];
const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Record<string, Outcome>;

function refusal(err: unknown): Outcome {
  if (!(err instanceof SplitvaultError)) throw err;
  return { refused: err.code, details: err.details };
}

async function wholeOutcome(source: Uint8Array, testCase: Case): Promise<Outcome> {
  const spec = SpecRequest.parse({ ...testCase.spec, format: 'arrow' });
  try {
    const { manifest } = await splitDataset(
      source,
      { sha256: sha256Hex(source), bytes: source.length },
      spec,
    );
    const artifacts = Object.fromEntries(SPLIT_NAMES.map((s) => [s, manifest.splits[s].sha256]));
    return { artifacts, manifestId: manifest.id };
  } catch (err) {
    return refusal(err);
  }
}

async function shardedOutcome(
  source: Uint8Array,
  testCase: Case,
  targetShardBytes: number,
): Promise<Outcome> {
  const spec = SpecRequest.parse({ ...testCase.spec, format: 'arrow' });
  const sink = memorySink();
  try {
    const manifest = await freezeSharded(
      memorySource([source]),
      { sha256: sha256Hex(source), bytes: source.length },
      spec,
      sink,
      { targetShardBytes },
    );
    const artifacts = Object.fromEntries(SPLIT_NAMES.map((s) => [s, sha256Hex(sink.file(s))]));
    return { artifacts, manifestId: manifest.id };
  } catch (err) {
    return refusal(err);
  }
}

describe('golden vectors of refusal order and time order values', () => {
  it('gives every case its recorded refusal or split files in one process', async () => {
    const got: Record<string, Outcome> = {};
    for (const testCase of CASES) {
      got[testCase.name] = await wholeOutcome(
        new Uint8Array(readFileSync(join(inputs, testCase.input))),
        testCase,
      );
    }
    if (update) writeFileSync(expectedPath, `${JSON.stringify(got, null, 2)}\n`);
    expect(got).toEqual(expected);
  });

  it.each([1, 300, 1_000_000])(
    'gives every case the same refusal or split files when its record batches are cut into shards of about %i bytes',
    async (targetShardBytes) => {
      for (const testCase of CASES) {
        const source = new Uint8Array(readFileSync(join(inputs, testCase.input)));
        expect(await shardedOutcome(source, testCase, targetShardBytes), testCase.name).toEqual(
          expected[testCase.name],
        );
      }
    },
  );

  it('covers refusals and freezes alike, so neither engine can pass by refusing everything', () => {
    const outcomes = Object.values(expected);
    expect(outcomes.filter((o) => 'refused' in o).length).toBeGreaterThanOrEqual(15);
    expect(outcomes.filter((o) => 'manifestId' in o).length).toBeGreaterThanOrEqual(3);
  });
});
