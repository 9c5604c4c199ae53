import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SpecRequest, SplitSpec } from '../../schemas/spec.js';
import { GOLDEN_CASES } from './cases.js';
import { itReproducesRecorded, outcomeOf } from './outcome.js';
import { freezeCase } from './support/frozen-case.js';

/**
 * Golden vectors: the assignments, split-file hashes and manifest ids of split-v1 for fixed
 * inputs. Any change (an apache-arrow upgrade that moves bytes, a PRNG slip) fails here.
 * After a deliberate algorithm change, rerun with SPLITVAULT_UPDATE_GOLDEN=1 and review the diff.
 */
const here = import.meta.dirname;
const expectedPath = join(here, 'expected.json');
const python = join(here, '../../.tools/venv/bin/python');

async function run(work: string, c: (typeof GOLDEN_CASES)[number]) {
  const source = new Uint8Array(readFileSync(join(here, 'inputs', c.input)));
  const { manifest, indices, files, sourceArrow } = await freezeCase(
    work,
    c.name,
    source,
    SplitSpec.parse(c.spec),
  );
  return { outcome: outcomeOf(manifest, indices), manifest, files, sourceArrow };
}

describe('golden vectors', async () => {
  const work = mkdtempSync(join(tmpdir(), 'splitvault-golden-'));
  const runs: ({ case: (typeof GOLDEN_CASES)[number] } & Awaited<ReturnType<typeof run>>)[] = [];
  for (const c of GOLDEN_CASES) runs.push({ case: c, ...(await run(work, c)) });
  itReproducesRecorded(expectedPath, runs);

  it.each(runs.map((r) => [r.case.name, r] as const))(
    'gives %s the same manifest id when asked through the API request schema',
    async (_name, r) => {
      const spec = SpecRequest.parse(r.case.spec);
      expect(spec).toEqual(SplitSpec.parse(r.case.spec));
      const source = new Uint8Array(readFileSync(join(here, 'inputs', r.case.input)));
      const ref = { sha256: sha256Hex(source), bytes: source.length };
      expect((await splitDataset(source, ref, spec)).manifest.id).toBe(r.outcome.manifestId);
      if (r.case.spec.strategy === 'time' && !r.case.spec.shuffle) {
        // Seed is optional for time: leaving it out must not move the id either.
        const { seed: _unused, ...seedless } = r.case.spec;
        const asked = SpecRequest.parse(seedless);
        expect((await splitDataset(source, ref, asked)).manifest.id).toBe(r.outcome.manifestId);
      }
    },
  );

  it('agrees with the independent Python reading and reimplementation (pyarrow and polars)', () => {
    const index = join(work, 'run.json');
    writeFileSync(
      index,
      JSON.stringify(
        runs.map((r) => ({
          name: r.case.name,
          source: r.sourceArrow,
          files: r.files,
          manifest: r.manifest,
          ...r.outcome,
        })),
      ),
    );
    const out = execFileSync(python, [join(here, 'check_splits.py'), index], { encoding: 'utf8' });
    expect(out).toContain(`checked ${runs.length} cases`);
  });
});
