import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { merkleTree } from '../../functions/core/leakage/merkle.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';

/**
 * Golden vectors of the leakage report (docs/SPLIT-SPEC.md §8.4): the report's RFC 8785 bytes
 * and address, each split's identity-set address and Merkle root, kept apart from
 * expected.json so no existing vector moves. planted.csv holds duplicates planted within
 * train, across train and test, and across validation and test (test/fixtures/planted-duplicates.ts).
 * Rerun with SPLITVAULT_UPDATE_GOLDEN=1 only after a deliberate change, and review the diff.
 */
const here = import.meta.dirname;
const expectedPath = join(here, 'leakage.expected.json');
const update = process.env.SPLITVAULT_UPDATE_GOLDEN === '1';
const ratios = { train: 0.6, validation: 0.2, test: 0.2 };

const CASES: { name: string; input: string; spec: SpecRequestInput }[] = [
  { name: 'planted-random', input: 'leakage/planted.csv', spec: { strategy: 'random', seed: 7, ratios } },
  {
    name: 'planted-group',
    input: 'leakage/planted.csv',
    spec: { strategy: 'group', groupBy: 'name', seed: 3, ratios },
  },
  {
    name: 'planted-hash',
    input: 'leakage/planted.csv',
    spec: { strategy: 'hash', key: 'score', seed: 1, ratios },
  },
  {
    name: 'golden-stratified',
    input: 'golden.csv',
    spec: {
      strategy: 'stratified',
      stratifyBy: 'label',
      seed: 42,
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
    },
  },
];

interface Vector {
  readonly manifestId: string;
  readonly reportSha256: string;
  readonly report: unknown;
}

async function vector(input: string, spec: SpecRequestInput) {
  const bytes = new Uint8Array(readFileSync(join(here, 'inputs', input)));
  return splitDataset(bytes, { sha256: sha256Hex(bytes), bytes: bytes.length }, SpecRequest.parse(spec));
}

const computed: Record<string, Vector> = {};
for (const c of CASES) {
  const { manifest, leakage } = await vector(c.input, c.spec);
  computed[c.name] = { manifestId: manifest.id, reportSha256: leakage!.sha256, report: leakage!.report };
}
if (update) writeFileSync(expectedPath, `${JSON.stringify(computed, null, 2)}\n`);
const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Record<string, Vector>;

describe('leakage report golden vectors', () => {
  it.each(CASES.map((c) => c.name))(
    '%s: the report, its address and the manifest id are as recorded',
    (name) => {
      expect(computed[name]).toEqual(expected[name]);
    },
  );

  it.each(CASES)(
    '$name: the report bytes are the RFC 8785 text of the document, and the sets hash to their addresses',
    async (c) => {
      const { leakage } = await vector(c.input, c.spec);
      expect(new TextDecoder().decode(leakage!.bytes)).toBe(canonical(leakage!.report));
      for (const name of SPLIT_NAMES) {
        const set = leakage!.sets[name];
        expect(sha256Hex(set.bytes)).toBe(leakage!.report.splits[name].identities);
        expect(Buffer.from(merkleTree(set.bytes).root).toString('hex')).toBe(
          leakage!.report.splits[name].merkleRoot,
        );
      }
    },
  );

  it('reports exactly the planted pairs and no key in two splits for group and hash', () => {
    const shared = (name: string) =>
      (expected[name]!.report as { pairs: { sharedIdentities: number }[] }).pairs.map(
        (p) => p.sharedIdentities,
      );
    expect(shared('planted-random')).toEqual([0, 3, 1]);
    for (const name of ['planted-group', 'planted-hash']) {
      expect((expected[name]!.report as { keys: { sharedKeys: number } }).keys.sharedKeys).toBe(0);
    }
  });
});

/** RFC 8785 for these documents: sorted keys, no whitespace (numbers are integers, strings ASCII). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
