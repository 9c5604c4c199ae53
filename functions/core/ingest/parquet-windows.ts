/**
 * How many rows each `readParquet` call decodes. Parquet metadata tells the decoded size of
 * fixed-width columns exactly, but not of byte arrays: a dictionary page holds a value once
 * and any number of rows may repeat it, so a kilobyte file can decode to gigabytes, all of it
 * inside one call's WebAssembly memory, which never shrinks. A file with a byte-array column is
 * therefore read in row windows: a small probe first, then windows sized from the largest
 * bytes per row seen so far to decode about `callBytes` each, growing at most GROWTH-fold per
 * call so that a file whose rows suddenly widen overshoots by a bounded factor.
 */
export const PROBE_ROWS = 4096;
export const GROWTH = 8;

export class DecodeWindows {
  private perRow: number;
  private last = 0;

  /**
   * `hintPerRow` is the metadata's estimate (uncompressed bytes per row), trusted only as a
   * floor; `windowed` false (no byte-array column) reads whole runs, as metadata is exact.
   */
  constructor(
    private readonly callBytes: number,
    hintPerRow: number,
    private readonly windowed: boolean,
  ) {
    this.perRow = Math.max(1, hintPerRow);
  }

  /** Rows for the next call, out of `left` still to read in this run (at least one). */
  next(left: number): number {
    if (!this.windowed) return left;
    const byBytes = Math.floor(this.callBytes / this.perRow);
    const ramp = this.last === 0 ? PROBE_ROWS : this.last * GROWTH;
    return Math.max(1, Math.min(left, byBytes, ramp));
  }

  /** What a call decoded: `bytes` over `rows` rows. */
  observe(rows: number, bytes: number): void {
    if (rows > 0) this.perRow = Math.max(this.perRow, bytes / rows);
    this.last = Math.max(this.last, rows);
  }
}
