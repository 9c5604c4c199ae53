/** One Lambda bundle: its size and how long a fresh Node process takes to import it. */
export interface BundleFigures {
  readonly name: 'api' | 'worker';
  readonly bytes: number;
  readonly mapBytes: number;
  /** Median import time in a fresh process. */
  readonly importMs: number;
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
  readonly functions: readonly BundleFigures[];
}
