/** One Lambda bundle: its size and how long a fresh Node process takes to import it. */
export interface BundleFigures {
  readonly name: 'api' | 'worker';
  readonly bytes: number;
  readonly mapBytes: number;
  /** Median import time in a fresh process. */
  readonly importMs: number;
  /** Median process start to the answer of one health event (API only). */
  readonly coldAnswerMs?: number;
}

/** What bench/bundles/main.ts prints. */
export interface BundlesResult {
  readonly runs: number;
  readonly functions: readonly BundleFigures[];
}
