import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { flattenTable } from '../../functions/core/arrow/flat-column.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { rowIdentityFromJson } from '../../functions/core/leakage/identity-from-json.js';
import {
  merkleTree,
  proveMembership,
  sortedDistinct,
  verifyMembership,
} from '../../functions/core/leakage/merkle.js';
import { proofFromWire, proofToWire } from '../../functions/core/leakage/proof-wire.js';
import { rowIdentities } from '../../functions/core/leakage/row-identity.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SpecRequest } from '../../schemas/spec.js';

/**
 * The worked vector of docs/SPLIT-SPEC.md §8.6: a small split, one row of it given as JSON, its
 * identity, the split's root and the row's proof; one row of another split and its proof of
 * absence. check_membership.py recomputes the identities from the JSON and verifies the proofs
 * from the spec alone. After a deliberate change, rerun with SPLITVAULT_UPDATE_GOLDEN=1.
 */
const here = import.meta.dirname;
const expectedPath = join(here, 'membership.expected.json');
const update = process.env.SPLITVAULT_UPDATE_GOLDEN === '1';
const python = join(here, '../../.tools/venv/bin/python');
const source = new Uint8Array(readFileSync(join(here, 'inputs', 'membership', 'people.csv')));
const spec = SpecRequest.parse({
  strategy: 'random',
  seed: 3,
  ratios: { train: 0.5, validation: 0.25, test: 0.25 },
  format: 'csv',
});

const MEMBER_ROW = '{"id": "6", "name": "donald, jr", "score": 0.001, "member": null}';
const ABSENT_ROW = '{"id": 3, "name": "alan", "score": -0.25, "member": true}';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function vector() {
  const { manifest, artifacts } = await splitDataset(
    source,
    { sha256: sha256Hex(source), bytes: source.length },
    spec,
  );
  const table = tableFromIPC(artifacts.train);
  const ids = rowIdentities(flattenTable(table), table.numRows);
  const tree = merkleTree(sortedDistinct(ids));
  const schema = manifest.dataset.schema;
  const row = (json: string) => {
    const identity = rowIdentityFromJson(schema, json);
    return { json, identity: hex(identity), proof: proofToWire(proveMembership(tree, identity)) };
  };
  return {
    manifestId: manifest.id,
    schema,
    split: 'train',
    file: manifest.splits.train.sha256,
    rows: table.numRows,
    identities: Array.from({ length: tree.size }, (_, i) =>
      hex(tree.identities.subarray(i * 32, i * 32 + 32)),
    ),
    root: hex(tree.root),
    size: tree.size,
    member: row(MEMBER_ROW),
    absent: row(ABSENT_ROW),
  };
}

describe('membership proof golden vector', async () => {
  const got = await vector();
  if (update) writeFileSync(expectedPath, `${JSON.stringify(got, null, 2)}\n`);
  const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as typeof got;

  it('reproduces the recorded identities, root and proofs', () => {
    expect(got).toEqual(expected);
  });

  it('proves the member row in train and the other row absent from it', () => {
    const trusted = { root: Buffer.from(expected.root, 'hex'), size: expected.size };
    expect(expected.member.proof.member).toBe(true);
    expect(expected.absent.proof.member).toBe(false);
    for (const { identity, proof } of [expected.member, expected.absent]) {
      expect(verifyMembership(Buffer.from(identity, 'hex'), proofFromWire(proof), trusted)).toBe(true);
    }
  });

  it('agrees with the independent Python reading of §8.1, §8.3 and §8.6', () => {
    const work = mkdtempSync(join(tmpdir(), 'splitvault-membership-golden-'));
    const path = join(work, 'vector.json');
    writeFileSync(path, JSON.stringify(expected));
    const out = execFileSync(python, [join(here, 'check_membership.py'), path], { encoding: 'utf8' });
    expect(out).toContain('checked 2 proofs');
  });
});
