/** One Lambda bundle: its size and how long a fresh Node process takes to import it. */
export interface BundleFigures {
  readonly name: 'api' | 'worker';
  readonly bytes: number;
  readonly mapBytes: number;
  /** Median import time in a fresh process. */
  readonly importMs: number;
  /** Median CPU time (user + system) of that import, which a busy machine inflates far less. */
  readonly importCpuMs?: number;
  /** Median time of the first handler call right after that import (API only). */
  readonly firstInvokeMs?: number;
  /** Median process start to the answer of that first call (API only). */
  readonly coldAnswerMs?: number;
}

/** What bench/bundles/main.ts prints. */
export interface BundlesResult {
  readonly runs: number;
  /** The Node version the bundles were imported with (Lambda runs them on Node 22). */
  readonly node?: string;
  /** The machine's one-minute load average when the runs ended (other work shares the cores). */
  readonly loadAverage?: number;
  readonly functions: readonly BundleFigures[];
}
