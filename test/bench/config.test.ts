import { describe, expect, it } from 'vitest';
import { readConfig } from '../../bench/lib/config.js';

describe('readConfig', () => {
  it.each([
    { env: {}, rows: [1_000_000, 10_000_000], formats: ['csv', 'parquet', 'arrow'], runs: 3 },
    {
      env: { BENCH_ROWS: '1000000', BENCH_RUNS: '5' },
      rows: [1_000_000],
      formats: ['csv', 'parquet', 'arrow'],
      runs: 5,
    },
    {
      env: { BENCH_FORMATS: 'parquet, csv' },
      rows: [1_000_000, 10_000_000],
      formats: ['parquet', 'csv'],
      runs: 3,
    },
  ])('reads sizes, formats and runs from $env', ({ env, rows, formats, runs }) => {
    expect(readConfig(env)).toMatchObject({ rows, formats, runs });
  });

  it.each([
    {
      env: { BENCH_ROWS: '1e6x' },
      message: 'BENCH_ROWS must be comma-separated positive integers, got "1e6x"',
    },
    { env: { BENCH_ROWS: '0' }, message: 'BENCH_ROWS must be comma-separated positive integers, got "0"' },
    { env: { BENCH_FORMATS: 'csv,xlsx' }, message: 'BENCH_FORMATS has an unknown format "xlsx"' },
  ])('refuses $env naming the bad value', ({ env, message }) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
