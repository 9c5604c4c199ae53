import { join } from 'node:path';
import { ROOT } from './paths.js';

export const FORMATS = ['csv', 'parquet', 'arrow'] as const;
export type BenchFormat = (typeof FORMATS)[number];

/** What a benchmark run covers, read once from the environment. */
export interface BenchConfig {
  readonly rows: readonly number[];
  readonly formats: readonly BenchFormat[];
  readonly runs: number;
  readonly seed: number;
  /** Python peers to compare with (BENCH_PEERS); all three by default. */
  readonly peers: readonly string[];
  /** Where the Markdown report goes; tests point it at a temp file. */
  readonly reportPath: string;
  /** Seconds of load per HTTP route; 0 leaves the HTTP section out. */
  readonly httpSeconds: number;
}

function positiveInts(name: string, raw: string): number[] {
  const values = raw.split(',').map((part) => Number(part.trim()));
  for (const value of values) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new Error(`${name} must be comma-separated positive integers, got "${raw}"`);
    }
  }
  return values;
}

function formats(raw: string): BenchFormat[] {
  return raw.split(',').map((part) => {
    const format = part.trim() as BenchFormat;
    if (!FORMATS.includes(format)) throw new Error(`BENCH_FORMATS has an unknown format "${part}"`);
    return format;
  });
}

export const PEERS = ['polars', 'pandas+sklearn', 'hf-datasets'] as const;

function peers(raw: string): string[] {
  return raw.split(',').map((part) => {
    const peer = part.trim();
    if (!(PEERS as readonly string[]).includes(peer))
      throw new Error(`BENCH_PEERS has an unknown peer "${part}"`);
    return peer;
  });
}

/** Reads BENCH_ROWS, BENCH_FORMATS, BENCH_RUNS, BENCH_SEED, BENCH_PEERS, BENCH_REPORT and BENCH_HTTP_SECONDS. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  return {
    rows: positiveInts('BENCH_ROWS', env.BENCH_ROWS ?? '1000000,10000000'),
    formats: formats(env.BENCH_FORMATS ?? FORMATS.join(',')),
    runs: positiveInts('BENCH_RUNS', env.BENCH_RUNS ?? '3')[0]!,
    seed: positiveInts('BENCH_SEED', env.BENCH_SEED ?? '42')[0]!,
    peers: peers(env.BENCH_PEERS ?? PEERS.join(',')),
    reportPath: env.BENCH_REPORT ?? join(ROOT, 'BENCHMARKS.md'),
    httpSeconds: Number(env.BENCH_HTTP_SECONDS ?? '30'),
  };
}

/** The scale part (bench/scale/run-scale.ts): freezes on the embedded server at growing sizes. */
export interface ScaleConfig {
  readonly rows: readonly number[];
  readonly formats: readonly ('csv' | 'parquet')[];
  /** SPLITVAULT_WORKERS values to run. */
  readonly workers: readonly number[];
  /** SPLITVAULT_WORKER_MEMORY of every run: the whole freeze's budget, shared by its worker threads. */
  readonly budgetBytes: number;
  /** How many files the Parquet form of a dataset is cut into. */
  readonly parquetFiles: number;
  /** Sizes at which the peers run too, each contender `runs` times; the others run once. */
  readonly compareRows: readonly number[];
  readonly peers: readonly string[];
}

function scaleFormats(raw: string): ('csv' | 'parquet')[] {
  return raw.split(',').map((part) => {
    const format = part.trim();
    if (format !== 'csv' && format !== 'parquet')
      throw new Error(`BENCH_SCALE_FORMATS takes csv and parquet, got "${part}"`);
    return format;
  });
}

/**
 * Reads BENCH_SCALE_ROWS ("none": measure nothing, rewrite the report), BENCH_SCALE_FORMATS, BENCH_SCALE_WORKERS, BENCH_SCALE_BUDGET,
 * BENCH_SCALE_PARQUET_FILES, BENCH_SCALE_COMPARE_ROWS ("none" for no peers) and
 * BENCH_SCALE_PEERS.
 */
export function readScaleConfig(env: NodeJS.ProcessEnv = process.env): ScaleConfig {
  const compare = env.BENCH_SCALE_COMPARE_ROWS ?? '10000000';
  return {
    // "none" measures nothing and rewrites the section from the stored samples.
    rows:
      env.BENCH_SCALE_ROWS === 'none'
        ? []
        : positiveInts('BENCH_SCALE_ROWS', env.BENCH_SCALE_ROWS ?? '1000000,10000000,50000000'),
    formats: scaleFormats(env.BENCH_SCALE_FORMATS ?? 'csv,parquet'),
    workers: positiveInts('BENCH_SCALE_WORKERS', env.BENCH_SCALE_WORKERS ?? '1,2'),
    budgetBytes: positiveInts('BENCH_SCALE_BUDGET', env.BENCH_SCALE_BUDGET ?? String(2 ** 31))[0]!,
    parquetFiles: positiveInts('BENCH_SCALE_PARQUET_FILES', env.BENCH_SCALE_PARQUET_FILES ?? '16')[0]!,
    compareRows: compare === 'none' ? [] : positiveInts('BENCH_SCALE_COMPARE_ROWS', compare),
    peers: env.BENCH_SCALE_PEERS === '' ? [] : peers(env.BENCH_SCALE_PEERS ?? 'polars,pandas+sklearn'),
  };
}
