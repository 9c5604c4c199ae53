import { describe, expect, it } from 'vitest';
import { UsageError } from '../../functions/cli/cli-error.js';
import { buildProvenance, buildSpec, parseInteger, parseRatios } from '../../functions/cli/spec-options.js';

describe('parseRatios', () => {
  it.each([
    ['0.8,0.1,0.1', { train: 0.8, validation: 0.1, test: 0.1 }],
    [' 0.7 , 0.15 ,0.15', { train: 0.7, validation: 0.15, test: 0.15 }],
    ['1,0,0', { train: 1, validation: 0, test: 0 }],
  ])('reads "%s" as train, validation, test', (text, expected) => {
    expect(parseRatios(text)).toEqual(expected);
  });

  it.each(['0.8,0.2', '0.8,,0.2', 'a,b,c', '0.5,0.25,0.25,0', ''])(
    'refuses "%s" naming the value',
    (text) => {
      expect(() => parseRatios(text)).toThrow(`invalid --ratios "${text}"`);
    },
  );
});

describe('parseInteger', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads "%s" as %d', (text, expected) => {
    expect(parseInteger('--seed', text)).toBe(expected);
  });

  it.each(['1.5', 'abc', '-1', '9007199254740993', ''])('refuses "%s" with exit code 2', (text) => {
    expect(() => parseInteger('--seed', text)).toThrow(`invalid --seed "${text}"`);
  });
});

describe('buildSpec', () => {
  const base = { strategy: 'random', seed: '7', ratios: '0.8,0.1,0.1' };

  it.each([
    [{ ...base }, { strategy: 'random', seed: 7, shuffle: false }],
    [
      { ...base, strategy: 'stratified', stratifyBy: 'label' },
      { strategy: 'stratified', stratifyBy: 'label' },
    ],
    [
      { ...base, strategy: 'hash', key: 'id', shuffle: true },
      { key: 'id', shuffle: true },
    ],
    [{ ...base, delimiter: 'tab' }, { delimiter: '\t' }],
    [{ ...base, delimiter: ';' }, { delimiter: ';' }],
    [{ ...base, format: 'jsonl' }, { format: 'jsonl' }],
    [{ ...base, format: 'json' }, { format: 'json' }],
    [
      { strategy: 'time', orderBy: 'ts', ratios: '0.8,0.1,0.1' },
      { strategy: 'time', orderBy: 'ts' },
    ],
  ])('turns flags %o into a spec containing %o', (flags, expected) => {
    expect(buildSpec(flags)).toMatchObject(expected);
  });

  it.each([
    [{ ...base, strategy: 'stratified' }, 'stratifyBy'],
    [{ ...base, strategy: 'group' }, 'groupBy'],
    [{ ...base, strategy: 'time' }, 'orderBy'],
    [{ ...base, strategy: 'hash' }, 'key'],
    [{ ...base, ratios: '0.5,0.1,0.1' }, 'ratios must sum to 1'],
    [{ ...base, format: 'xlsx' }, 'format'],
    [{ ...base, delimiter: 'x' }, 'delimiter'],
    [{ ...base, strategy: 'group', groupBy: 'user', stratifyBy: 'label' }, 'does not use stratifyBy'],
    [{ ...base, strategy: 'time', orderBy: 'ts' }, 'draws no random numbers; leave seed out'],
    [{ ...base, format: 'parquet', delimiter: ';' }, 'format "parquet" has no delimiter'],
    [{ strategy: 'random', ratios: '0.8,0.1,0.1' }, 'strategy "random" needs seed'],
  ])('refuses %o with a usage error mentioning %s', (flags, fragment) => {
    try {
      buildSpec(flags);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as UsageError).detail).toContain(fragment);
    }
  });
});

describe('buildSpec --dedupe', () => {
  it('passes --dedupe refuse into the spec and refuses an unknown mode before any upload', () => {
    const base = { strategy: 'random', seed: '1', ratios: '0.8,0.1,0.1' };
    expect(buildSpec({ ...base, dedupe: 'refuse' })).toMatchObject({ dedupe: 'refuse' });
    expect(buildSpec(base)).not.toHaveProperty('dedupe');
    expect(() => buildSpec({ ...base, dedupe: 'sometimes' })).toThrow(UsageError);
  });
});

describe('buildProvenance', () => {
  const base = { strategy: 'random', seed: '1', ratios: '1,0,0' };
  const parent = 'a'.repeat(64);

  it.each([
    [{ ...base }, undefined],
    [
      { ...base, source: 's3://b/k', version: 'v2' },
      { source: 's3://b/k', version: 'v2' },
    ],
    [
      { ...base, parent: [parent], note: 'n' },
      { parents: [parent], note: 'n' },
    ],
  ])('turns flags %o into provenance %o', (flags, expected) => {
    expect(buildProvenance(flags)).toEqual(expected);
  });

  it('refuses a parent that is not a manifest id', () => {
    expect(() => buildProvenance({ ...base, parent: ['nope'] })).toThrow('invalid provenance');
  });
});
