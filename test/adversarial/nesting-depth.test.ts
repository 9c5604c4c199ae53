import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../functions/core/errors.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingest } from '../../functions/core/ingest/index.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SplitSpec } from '../../schemas/spec.js';

const spec = SplitSpec.parse({
  seed: 1,
  ratios: { train: 0.5, validation: 0.25, test: 0.25 },
  strategy: 'random',
});

describe('nesting depth across formats', () => {
  it('reads back as input a split file it wrote from JSON Lines nested to the 64 levels JSON Lines allows, instead of calling it ARROW.CORRUPT', async () => {
    const depth = 64; // the column's array is level 1, the innermost level 64: accepted by §1.4
    const text = Array.from(
      { length: 20 },
      (_, i) => `{"id":${i},"a":${'['.repeat(depth)}${i}${']'.repeat(depth)}}`,
    ).join('\n');
    const source = new TextEncoder().encode(text);
    const { artifacts } = await splitDataset(
      source,
      { sha256: sha256Hex(source), bytes: source.length },
      spec,
    );
    const outcome = await ingest(artifacts.train).then(
      () => 'read',
      (error: unknown) => (error instanceof SplitvaultError ? error.code : `raw ${String(error)}`),
    );
    expect(outcome).toBe('read');
  });
});
