import { describe, expect, it } from 'vitest';
import { SplitvaultError } from '../../functions/core/errors.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SplitSpec } from '../../schemas/spec.js';

const spec = SplitSpec.parse({
  seed: 1,
  ratios: { train: 0.6, validation: 0.2, test: 0.2 },
  strategy: 'random',
});

async function splitHashes(lines: string[]): Promise<string[]> {
  const source = new TextEncoder().encode(`${lines.join('\n')}\n`);
  const { manifest } = await splitDataset(source, { sha256: sha256Hex(source), bytes: source.length }, spec);
  return Object.values(manifest.splits).map((s) => s.sha256);
}

async function outcome(lines: string[]): Promise<string> {
  const source = new TextEncoder().encode(`${lines.join('\n')}\n`);
  return splitDataset(source, { sha256: sha256Hex(source), bytes: source.length }, spec).then(
    () => 'split',
    (error: unknown) => (error instanceof SplitvaultError ? error.code : `raw ${String(error)}`),
  );
}

const rows = (row: (i: number) => string) => Array.from({ length: 20 }, (_, i) => row(i));

describe('JSON keys holding an escaped lone surrogate', () => {
  it('splits a JSON Lines file whose column name is an escaped lone surrogate, or refuses it with a coded error, never a raw error from the manifest canonicalizer', async () => {
    expect(await outcome(rows((i) => `{"id":${i},"\\ud800":1}`))).not.toMatch(/^raw /);
  });

  it('splits a JSON Lines file whose nested struct has a field named by an escaped lone surrogate, or refuses it with a coded error', async () => {
    expect(await outcome(rows((i) => `{"id":${i},"meta":{"\\udc00":${i}}}`))).not.toMatch(/^raw /);
  });
});

describe('a key repeated within one row object', () => {
  it('types a column by the last value of a repeated key, so an overwritten array does not turn timestamps into strings', async () => {
    const ts = (i: number) => `"2024-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z"`;
    const plain = rows((i) => `{"id":${i},"a":${ts(i)}}`);
    const repeated = rows((i) => (i === 0 ? `{"id":${i},"a":[1],"a":${ts(i)}}` : `{"id":${i},"a":${ts(i)}}`));
    expect(await splitHashes(repeated)).toEqual(await splitHashes(plain));
  });

  it('does not refuse a number that only an overwritten object made nested', async () => {
    const repeated = rows((i) => (i === 0 ? `{"id":${i},"a":{},"a":9007199254740993}` : `{"id":${i},"a":1}`));
    expect(await outcome(repeated)).toBe('split');
  });
});
