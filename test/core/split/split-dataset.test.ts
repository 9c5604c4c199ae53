import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../functions/core/canonical-json.js';
import { sha256Hex } from '../../../functions/core/hash.js';
import { manifestId } from '../../../functions/core/manifest.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import { Manifest } from '../../../schemas/manifest.js';
import { SplitSpec, type SplitSpecInput } from '../../../schemas/spec.js';

const csv = new TextEncoder().encode(
  `id,kind,value\n${Array.from({ length: 40 }, (_, i) => `${i},${['a', 'b', ''][i % 3]},${i * 0.5}`).join('\n')}\n`,
);
const ref = { sha256: sha256Hex(csv), bytes: csv.length };
const run = (input: Partial<SplitSpecInput>) =>
  splitDataset(
    csv,
    ref,
    SplitSpec.parse({
      strategy: 'random',
      seed: 3,
      ratios: { train: 0.5, validation: 0.25, test: 0.25 },
      ...input,
    }),
  );

describe('splitDataset', () => {
  it.each<Partial<SplitSpecInput>>([
    { strategy: 'random' },
    { strategy: 'stratified', stratifyBy: 'kind' },
    { strategy: 'group', groupBy: 'id' },
    { strategy: 'hash', key: 'id' },
    { strategy: 'time', orderBy: 'value', shuffle: true },
  ])('returns a valid manifest whose hashes, sizes and id match its files for %j', async (input) => {
    const { manifest, artifacts } = await run(input);
    expect(Manifest.parse(manifest)).toEqual(manifest);
    const { id, ...content } = manifest;
    expect(id).toBe(manifestId(content));
    expect(manifest.spec.format).toBe('csv');
    expect(manifest.dataset.rows).toBe(40);
    for (const name of ['train', 'validation', 'test'] as const) {
      expect(manifest.splits[name].sha256).toBe(sha256Hex(artifacts[name]));
      expect(manifest.splits[name].bytes).toBe(artifacts[name].byteLength);
      expect(tableFromIPC(artifacts[name]).numRows).toBe(manifest.splits[name].rows);
      expect(manifest.achievedRatios[name]).toBe(manifest.splits[name].rows / 40);
    }
  });

  it('gives the same id for the same data and spec, and another id for another seed', async () => {
    const a = await run({});
    expect((await run({})).manifest.id).toBe(a.manifest.id);
    expect((await run({ seed: 4 })).manifest.id).not.toBe(a.manifest.id);
  });

  it.each([
    [{ strategy: 'stratified', stratifyBy: 'kinds' }, 'SPEC.UNKNOWN_COLUMN'],
    [{ strategy: 'time', orderBy: 'kind' }, 'TIME.NULL_ORDER_VALUE'],
  ] as const)('refuses %j with %s', async (input, code) => {
    await expect(run(input as Partial<SplitSpecInput>)).rejects.toMatchObject({ code });
  });
});

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, null, 'é'], c: undefined }, '{"a":[true,null,"é"],"b":1}'],
    [{ z: 1e21, y: 0.1, x: -0 }, '{"x":0,"y":0.1,"z":1e+21}'],
  ])('serializes %j as RFC 8785 text', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
});
