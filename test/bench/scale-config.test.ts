import { describe, expect, it } from 'vitest';
import { readScaleConfig } from '../../bench/lib/config.js';

describe('readScaleConfig', () => {
  it('defaults to 1M, 10M and 50M rows of CSV and Parquet at 1 and 2 workers, peers at 10M', () => {
    expect(readScaleConfig({})).toEqual({
      rows: [1_000_000, 10_000_000, 50_000_000],
      formats: ['csv', 'parquet'],
      workers: [1, 2],
      budgetBytes: 2 ** 31,
      parquetFiles: 16,
      compareRows: [10_000_000],
      peers: ['polars', 'pandas+sklearn'],
    });
  });

  it.each([
    { env: { BENCH_SCALE_COMPARE_ROWS: 'none' }, want: { compareRows: [] } },
    { env: { BENCH_SCALE_PEERS: '' }, want: { peers: [] } },
    {
      env: { BENCH_SCALE_WORKERS: '2', BENCH_SCALE_FORMATS: 'parquet' },
      want: { workers: [2], formats: ['parquet'] },
    },
  ])('reads $env', ({ env, want }) => {
    expect(readScaleConfig(env)).toMatchObject(want);
  });

  it.each([
    {
      env: { BENCH_SCALE_FORMATS: 'arrow' },
      message: 'BENCH_SCALE_FORMATS takes csv and parquet, got "arrow"',
    },
    {
      env: { BENCH_SCALE_WORKERS: '0' },
      message: 'BENCH_SCALE_WORKERS must be comma-separated positive integers',
    },
    { env: { BENCH_SCALE_PEERS: 'duckdb' }, message: 'BENCH_PEERS has an unknown peer "duckdb"' },
  ])('refuses $env naming the bad value', ({ env, message }) => {
    expect(() => readScaleConfig(env)).toThrow(message);
  });
});
