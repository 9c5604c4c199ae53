import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../functions/core/errors.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SplitSpec } from '../../schemas/spec.js';

const spec = SplitSpec.parse({
  seed: 1,
  ratios: { train: 0.5, validation: 0.25, test: 0.25 },
  strategy: 'random',
});

/**
 * An Arrow stream whose two columns are both named `id`, an Int64 and a Utf8, 20 rows, as pyarrow
 * 26 writes it: pa.Table.from_arrays([pa.array(range(20)), pa.array(['s%d' % i for i in
 * range(20)])], names=['id', 'id']) through ipc.new_stream.
 */
const twoColumnsNamedId = (): Uint8Array =>
  new Uint8Array(readFileSync(new URL('inputs/two-columns-named-id.arrows', import.meta.url)));

/** How a split of `source` ends: 'split', the code of a coded refusal, or 'raw …' for any other error. */
function splitOutcome(source: Uint8Array): Promise<string> {
  return splitDataset(source, { sha256: sha256Hex(source), bytes: source.length }, spec).then(
    () => 'split',
    (error: unknown) => (error instanceof SplitvaultError ? error.code : `raw ${String(error)}`),
  );
}

describe('Arrow inputs with repeated column names', () => {
  it('splits an Arrow stream with two columns of one name, or refuses it with a coded error, never a raw TypeError', async () => {
    const source = twoColumnsNamedId();
    const outcome = await splitOutcome(source);
    expect(outcome).not.toMatch(/^raw /);
  });
});

describe('Parquet inputs with repeated column names', () => {
  it('splits a valid Parquet file with two columns of one name, or refuses it as such, rather than calling it PARQUET.CORRUPT', async () => {
    // The same table as two-columns-named-id.arrows, through pq.write_table (pyarrow 26).
    const source = new Uint8Array(
      readFileSync(new URL('inputs/two-columns-named-id.parquet', import.meta.url)),
    );
    const outcome = await splitOutcome(source);
    expect(outcome).not.toMatch(/^raw |^PARQUET\.CORRUPT$/);
  });
});
