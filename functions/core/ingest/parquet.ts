import { type Table, tableFromIPC } from 'apache-arrow';
import { DatasetError } from '../errors.js';

const PAR1 = [0x50, 0x41, 0x52, 0x31];
/**
 * Rows per decoded record batch. The reader's default of 1024 turns 1M rows into a thousand
 * chunks per column, which flattening then stitches back together at a cost.
 */
const PARQUET_BATCH_ROWS = 65_536;

function corrupt(why: string, cause?: unknown): DatasetError {
  return new DatasetError('PARQUET.CORRUPT', `the Parquet file is corrupt or truncated: ${why}`, { cause });
}

/**
 * Parquet to a Table through parquet-wasm (Rust's parquet crate: snappy, zstd, gzip, brotli,
 * lz4). Imported on first use because its Node entry compiles a 5 MB WebAssembly module at
 * load time, which CSV-only callers shouldn't pay for.
 */
export async function ingestParquet(bytes: Uint8Array): Promise<Table> {
  const n = bytes.length;
  if (n < 12 || !PAR1.every((b, i) => bytes[i] === b && bytes[n - 4 + i] === b)) {
    throw corrupt('missing the leading or trailing "PAR1" magic');
  }
  const { readParquet } = await import('parquet-wasm');
  try {
    return tableFromIPC(readParquet(bytes, { batchSize: PARQUET_BATCH_ROWS }).intoIPCStream());
  } catch (cause) {
    throw corrupt(cause instanceof Error ? cause.message : String(cause), cause);
  }
}
