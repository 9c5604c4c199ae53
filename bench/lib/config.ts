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
