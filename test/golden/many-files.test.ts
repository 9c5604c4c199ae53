import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetAddress } from '../../functions/core/dataset-files.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitFiles } from '../../functions/core/split-dataset.js';
import { SpecRequest, type SpecRequestInput } from '../../schemas/spec.js';
import { MANY_FILES_DATASETS, MANY_FILES_SPECS } from './many-files-cases.js';

/**
 * Golden vectors for many-file datasets (docs/SPLIT-SPEC.md §7): the dataset address, the
 * manifest id (which records the files) and the split files of two 4-file Parquet datasets
 * under every strategy. After a deliberate change, rerun with SPLITVAULT_UPDATE_GOLDEN=1 and
 * review the diff.
 */
const here = import.meta.dirname;
const inputs = join(here, 'inputs', 'many-files');
const expectedPath = join(here, 'many-files.expected.json');
const update = process.env.SPLITVAULT_UPDATE_GOLDEN === '1';
interface Vector {
  readonly dataset: string;
  readonly manifestId: string;
  readonly splits: Record<string, string>;
}

async function vector(files: string[], spec: SpecRequestInput): Promise<Vector> {
  const parts = files.map((name) => new Uint8Array(readFileSync(join(inputs, name))));
  const refs = parts.map((part) => ({ sha256: sha256Hex(part), bytes: part.length }));
  const bytes = parts.reduce((sum, part) => sum + part.length, 0);
  const dataset = datasetAddress(refs);
  const { manifest } = await splitFiles(
    parts,
    { sha256: dataset, bytes, files: refs },
    SpecRequest.parse(spec),
  );
  return {
    dataset,
    manifestId: manifest.id,
    splits: Object.fromEntries(Object.entries(manifest.splits).map(([name, split]) => [name, split.sha256])),
  };
}

describe('many-file golden vectors', () => {
  it('give the recorded dataset address, manifest id and split files for every dataset and strategy', async () => {
    const actual: Record<string, Vector> = {};
    for (const [data, files] of Object.entries(MANY_FILES_DATASETS)) {
      for (const [name, spec] of Object.entries(MANY_FILES_SPECS))
        actual[`${data}/${name}`] = await vector(files, spec);
    }
    if (update) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
  });
});
