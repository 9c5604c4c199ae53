/**
 * A read-only view of one ArrowArray struct of the Arrow C Data Interface, as parquet-wasm
 * exports it into its WebAssembly memory (wasm32: 64-bit counts, then 32-bit pointers). Reading
 * the decoded buffers in place saves serialising each batch to IPC and copying it out first.
 */
export interface CArray {
  readonly length: number;
  /** -1 when the producer did not count. */
  readonly nullCount: number;
  readonly offset: number;
  /** Addresses of the buffers in memory; 0 for an absent buffer (no validity bitmap). */
  readonly buffers: readonly number[];
  readonly children: readonly number[];
}

/** Reads the ArrowArray at `addr` from a wasm32 memory. */
export function readCArray(memory: ArrayBuffer, addr: number): CArray {
  const view = new DataView(memory);
  const count = (at: number): number => Number(view.getBigInt64(addr + at, true));
  const pointers = (list: number, n: number): number[] =>
    Array.from({ length: n }, (_, i) => view.getUint32(list + 4 * i, true));
  return {
    length: count(0),
    nullCount: count(8),
    offset: count(16),
    buffers: pointers(view.getUint32(addr + 40, true), count(24)),
    children: pointers(view.getUint32(addr + 44, true), count(32)),
  };
}
