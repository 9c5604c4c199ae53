import { type Schema, type Table, tableFromIPC } from 'apache-arrow';
import { flatKind, unsupportedType } from '../arrow/flat-column.js';
import { DatasetError, SplitvaultError } from '../errors.js';
import { DecodeBudget } from './decode-budget.js';
import { MAX_COLUMNS, tooManyColumns, UNLIMITED_DECODED_BYTES } from './limits.js';
import { CALL_BYTES, CALL_ROWS, PARQUET_BATCH_ROWS, readByRowGroup } from './parquet-rowgroups.js';

const PAR1 = [0x50, 0x41, 0x52, 0x31];

function corrupt(why: string, cause?: unknown): DatasetError {
  return new DatasetError('PARQUET.CORRUPT', `the Parquet file is corrupt or truncated: ${why}`, { cause });
}

/**
 * The error ingest gives a table with a column the row-group reader doesn't build (too many
 * columns first, as for any table), raised from the schema alone: decoding such a file whole
 * would let a nested or dictionary column expand past the decode budget unchecked. (Split files
 * carry such columns from Arrow IPC; from Parquet they wait for a bounded reader.)
 */
function refuseUnsplittable(schema: Schema): never {
  if (schema.fields.length > MAX_COLUMNS) throw tooManyColumns(schema.fields.length);
  const field = schema.fields.find((f) => flatKind(f.type) === undefined);
  if (field) throw unsupportedType(field.name, field.type);
  throw new Error('refuseUnsplittable called on a splittable schema');
}

/**
 * Parquet to a Table through parquet-wasm (Rust's parquet crate: snappy, zstd, gzip, brotli,
 * lz4), decoded a few row groups at a time into one chunk per column, with zeros under nulls
 * (see parquet-rowgroups.ts). A file with a column type that path does not build, or a footer
 * its reader refuses, is read whole, as before, so flattening or the reader refuses it with the
 * same error. Imported on first use because its Node entry compiles a 5 MB
 * WebAssembly module at load time, which CSV-only callers shouldn't pay for. Decoded data
 * counts against `budget` (DATASET.TOO_LARGE_DECODED past it); a column split-v1 can't split
 * is refused from the schema, before any data is decoded.
 */
export async function ingestParquet(
  bytes: Uint8Array,
  budget = new DecodeBudget(UNLIMITED_DECODED_BYTES),
): Promise<Table> {
  const n = bytes.length;
  if (n < 12 || !PAR1.every((b, i) => bytes[i] === b && bytes[n - 4 + i] === b)) {
    throw corrupt('missing the leading or trailing "PAR1" magic');
  }
  const wasm = await import('parquet-wasm');
  try {
    const read = await readByRowGroup(wasm, bytes, undefined, { rows: CALL_ROWS, bytes: CALL_BYTES }, budget);
    if (read && 'unsplittable' in read) refuseUnsplittable(read.unsplittable);
    if (read) return read;
    return tableFromIPC(wasm.readParquet(bytes, { batchSize: PARQUET_BATCH_ROWS }).intoIPCStream());
  } catch (cause) {
    if (cause instanceof SplitvaultError) throw cause;
    throw corrupt(cause instanceof Error ? cause.message : String(cause), cause);
  }
}
