import { expect } from 'vitest';
import type { SplitSpec } from '../../../../schemas/spec.js';
import type { Outcome } from './parity.js';

/**
 * Tallies what a property run reached, so the test can show it exercised every strategy on
 * datasets that split (not only on errors), shuffled and not.
 */
export class OutcomeTally {
  private readonly seen = new Map<string, number>();

  add(spec: SplitSpec, outcome: Outcome): void {
    const key = 'error' in outcome ? outcome.error.code : `${spec.strategy}${spec.shuffle ? '+shuffle' : ''}`;
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
  }

  /** How many datasets split (no error). */
  splits(): number {
    let n = 0;
    for (const [key, count] of this.seen) if (!key.includes('.')) n += count;
    return n;
  }

  /** Every strategy split at least `min` datasets with and without shuffle, and these error codes occurred. */
  expectCovered(min: number, codes: readonly string[]): void {
    for (const strategy of ['random', 'stratified', 'group', 'hash', 'time', 'stratified-group']) {
      for (const suffix of ['', '+shuffle']) {
        expect(this.seen.get(strategy + suffix) ?? 0, strategy + suffix).toBeGreaterThanOrEqual(min);
      }
    }
    for (const code of codes) expect(this.seen.get(code) ?? 0, code).toBeGreaterThan(0);
  }
}
