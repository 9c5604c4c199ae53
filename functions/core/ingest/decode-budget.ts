import { tooLargeDecoded } from './limits.js';

/**
 * A running total of the bytes ingest allocates for decoded data, against the freeze's budget.
 * Callers take bytes before they allocate them, so a refused dataset never holds more than
 * the budget: the check runs on what metadata declares (row counts × widths, buffer lengths)
 * and again on what decoding actually produces (Parquet byte arrays, whose dictionary pages
 * expand far past their stored size).
 */
export class DecodeBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Bytes still free. */
  get remaining(): number {
    return this.limit - this.used;
  }

  /** Counts `bytes` against the budget, or throws DATASET.TOO_LARGE_DECODED when they don't fit. */
  take(bytes: number, what: string): void {
    if (this.used + bytes > this.limit) throw tooLargeDecoded(this.used + bytes, this.limit, what);
    this.used += bytes;
  }
}
