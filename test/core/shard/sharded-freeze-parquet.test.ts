import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SpecRequestInput } from '../../../schemas/spec.js';
import { expectShardedSame } from './support/freeze-parity.js';

const here = import.meta.dirname;
const python = join(here, '../../../.tools/venv/bin/python');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'freeze-slice-'));
  execFileSync(python, [join(here, 'make_slices.py'), dir]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ratios = { train: 0.6, validation: 0.2, test: 0.2 };
const STRATEGIES: SpecRequestInput[] = [
  { strategy: 'random', seed: 7, ratios },
  { strategy: 'stratified', seed: 3, ratios, stratifyBy: 'label' },
  { strategy: 'group', seed: 5, ratios, groupBy: 'user' },
  { strategy: 'hash', seed: 9, ratios, key: 'id' },
  { strategy: 'time', ratios, orderBy: 'at' },
  { strategy: 'stratified-group', seed: 4, ratios, stratifyBy: 'label', groupBy: 'user' },
];

describe('the sharded freeze of a Parquet file read by row-group slices', () => {
  it.each([
    'snappy-dict-index-stats.parquet',
    'snappy-plain-bare.parquet',
    'zstd-dict-index-stats.parquet',
    'zstd-plain-bare.parquet',
    'gzip-dict-index-stats.parquet',
    'gzip-plain-bare.parquet',
    'none-dict-index-stats.parquet',
    'none-plain-bare.parquet',
    'int96-v2-bloom.parquet',
    'twenty.parquet',
  ])(
    'gives the one-process manifest and split files at one row group a shard and at one shard: %s',
    async (name) => {
      const bytes = new Uint8Array(readFileSync(join(dir, name)));
      for (const input of STRATEGIES) {
        for (const targetShardBytes of [1, 2 ** 30])
          await expectShardedSame([bytes], input, { targetShardBytes });
      }
    },
  );
});
