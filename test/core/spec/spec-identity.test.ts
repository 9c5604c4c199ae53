/**
 * Spec identity: a field the strategy or format would ignore is refused, so it can never give
 * the same split files a second manifest id (docs/SPLIT-SPEC.md, "Spec identity").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../functions/core/hash.js';
import { splitDataset } from '../../../functions/core/split-dataset.js';
import { IRRELEVANT_FIELD, SpecRequest, type SpecRequestInput, SplitSpec } from '../../../schemas/spec.js';

const ratios = { train: 0.5, validation: 0.25, test: 0.25 };
const csv = new TextEncoder().encode(
  `id,kind,ts\n${Array.from({ length: 40 }, (_, i) => `${i},${'ab'[i % 2]},${i}`).join('\n')}\n`,
);
const idOf = async (spec: SplitSpec) =>
  (await splitDataset(csv, { sha256: sha256Hex(csv), bytes: csv.length }, spec)).manifest.id;

describe('SpecRequest', () => {
  it.each<[SpecRequestInput, string]>([
    [{ strategy: 'group', groupBy: 'id', stratifyBy: 'kind', seed: 1, ratios }, 'stratifyBy'],
    [{ strategy: 'random', orderBy: 'ts', seed: 1, ratios }, 'orderBy'],
    [{ strategy: 'stratified', stratifyBy: 'kind', key: 'id', seed: 1, ratios }, 'key'],
    [{ strategy: 'hash', key: 'id', groupBy: 'kind', seed: 1, ratios }, 'groupBy'],
    [{ strategy: 'time', orderBy: 'ts', groupBy: 'kind', ratios }, 'groupBy'],
    [{ strategy: 'time', orderBy: 'ts', seed: 5, ratios }, 'seed'],
    [{ strategy: 'random', seed: 1, ratios, format: 'parquet', delimiter: ';' }, 'delimiter'],
    [{ strategy: 'random', seed: 1, ratios, format: 'jsonl', delimiter: ',' }, 'delimiter'],
    [{ strategy: 'random', seed: 1, ratios, format: 'arrow', schema: { id: 'int64' } }, 'schema'],
  ])('refuses %j with SPEC.IRRELEVANT_FIELD naming %s', (input, field) => {
    const result = SpecRequest.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: [field], params: { code: IRRELEVANT_FIELD } }),
    ]);
    expect(result.error?.issues[0]?.message).toContain(field);
  });

  it.each<SpecRequestInput>([
    { strategy: 'random', ratios },
    { strategy: 'time', orderBy: 'ts', shuffle: true, ratios },
  ])('still needs a seed where one is drawn from: %j', (input) => {
    const result = SpecRequest.safeParse(input);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['seed'] })]);
  });

  it('records seed 0 for a time split asked without a seed, the same spec as asking seed 0', () => {
    const withoutSeed = SpecRequest.parse({ strategy: 'time', orderBy: 'ts', ratios });
    expect(withoutSeed).toEqual(SplitSpec.parse({ strategy: 'time', orderBy: 'ts', seed: 0, ratios }));
  });

  it('accepts the fields each strategy and format does use', () => {
    for (const input of [
      { strategy: 'hash', groupBy: 'kind', seed: 2, ratios },
      { strategy: 'hash', key: 'id', seed: 2, ratios, format: 'csv', delimiter: ';' },
      { strategy: 'random', seed: 2, ratios, delimiter: '|', schema: { id: 'utf8' } },
      { strategy: 'time', orderBy: 'ts', seed: 3, shuffle: true, ratios, format: 'jsonl', schema: {} },
    ] as const) {
      expect(SpecRequest.safeParse(input).error).toBeUndefined();
    }
  });
});

describe('one id for one split', () => {
  it('gives the id of the plain spec to every accepted way of asking for the same time split', async () => {
    const plain = await idOf(SpecRequest.parse({ strategy: 'time', orderBy: 'ts', ratios }));
    expect(await idOf(SpecRequest.parse({ strategy: 'time', orderBy: 'ts', seed: 0, ratios }))).toBe(plain);
    expect(await idOf(SpecRequest.parse({ strategy: 'time', orderBy: 'ts', ratios, format: 'csv' }))).toBe(
      plain,
    );
  });

  it('refuses a delimiter on a dataset detected as Parquet instead of recording it', async () => {
    const parquet = new Uint8Array(
      readFileSync(join(import.meta.dirname, '../../fixtures/ingest/table-none.parquet')),
    );
    const spec = SpecRequest.parse({
      strategy: 'random',
      seed: 1,
      ratios: { train: 1, validation: 0, test: 0 },
      delimiter: ';',
    });
    await expect(
      splitDataset(parquet, { sha256: sha256Hex(parquet), bytes: parquet.length }, spec),
    ).rejects.toMatchObject({ code: IRRELEVANT_FIELD, details: { errors: [{ path: 'spec.delimiter' }] } });
  });

  it('still verifies a frozen spec that names its format, as every stored manifest does', async () => {
    const frozen = (
      await splitDataset(
        csv,
        { sha256: sha256Hex(csv), bytes: csv.length },
        SpecRequest.parse({ strategy: 'random', seed: 1, ratios, delimiter: ',' }),
      )
    ).manifest;
    expect(await idOf(SplitSpec.parse(frozen.spec))).toBe(frozen.id);
  });
});
