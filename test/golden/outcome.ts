import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { SplitIndices } from '../../functions/core/split/types.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import type { Manifest } from '../../schemas/manifest.js';

/** What a golden case records: the rows of each split, the split files' hashes, the manifest id. */
export interface Outcome {
  assignments: Record<string, number[]>;
  artifacts: Record<string, string>;
  manifestId: string;
}

export function outcomeOf(manifest: Manifest, indices: SplitIndices): Outcome {
  return {
    assignments: Object.fromEntries(SPLIT_NAMES.map((n) => [n, Array.from(indices[n])])),
    artifacts: Object.fromEntries(SPLIT_NAMES.map((n) => [n, manifest.splits[n].sha256])),
    manifestId: manifest.id,
  };
}

/**
 * Registers one test a case: its outcome equals the one recorded in `expectedPath`. With
 * SPLITVAULT_UPDATE_GOLDEN=1 the file is first rewritten from `runs` (a deliberate change,
 * whose diff is reviewed); otherwise it is only read. `title` names the test, `%s` the case.
 */
export function itReproducesRecorded<O extends object = Outcome>(
  expectedPath: string,
  runs: readonly { readonly case: { readonly name: string }; readonly outcome: O }[],
  title = 'reproduces the recorded assignment, file hashes and manifest id of %s',
): void {
  if (process.env.SPLITVAULT_UPDATE_GOLDEN === '1') {
    writeFileSync(
      expectedPath,
      `${JSON.stringify(Object.fromEntries(runs.map((r) => [r.case.name, r.outcome])), null, 2)}\n`,
    );
  }
  const expected: Record<string, O> = JSON.parse(readFileSync(expectedPath, 'utf8'));
  it.each(runs.map((r) => [r.case.name, r] as const))(title, (name, r) => {
    expect(r.outcome).toEqual(expected[name]);
  });
}
