import { type Schema, type Table, tableFromIPC } from 'apache-arrow';
import { DatasetError, SplitvaultError } from '../errors.js';
import { normalViewSchema } from './arrow-views.js';
import { DecodeBudget } from './decode-budget.js';
import { refuseDuplicateColumns } from './duplicate-columns.js';
import { MAX_COLUMNS, tooManyColumns, UNLIMITED_DECODED_BYTES } from './limits.js';
import { readNestedParquet } from './parquet-nested.js';
import { CALL_BYTES, CALL_ROWS, groupRuns, PARQUET_BATCH_ROWS, readByRowGroup } from './parquet-rowgroups.js';

const PAR1 = [0x50, 0x41, 0x52, 0x31];

function corrupt(why: string, cause?: unknown): DatasetError {
  return new DatasetError('PARQUET.CORRUPT', `the Parquet file is corrupt or truncated: ${why}`, { cause });
}

/** The schema from the footer alone, or null when it can't be read so (the full read then decides). */
function footerSchema(wasm: typeof import('parquet-wasm'), bytes: Uint8Array): Schema | null {
  const length = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true);
  if (length + 12 > bytes.length) return null;
  try {
    return tableFromIPC(wasm.readSchema(bytes.subarray(bytes.length - 8 - length)).intoIPCStream()).schema;
  } catch {
    return null;
  }
}

/**
 * Parquet to a Table through parquet-wasm (Rust's parquet crate: snappy, zstd, gzip, brotli,
 * lz4), decoded a few row groups at a time into one chunk per column, with zeros under nulls
 * (see parquet-rowgroups.ts). A file with a column type that path does not build, or a footer
 * its reader refuses, is read whole, as before, so flattening or the reader refuses it with the
 * same error. Imported on first use because its Node entry compiles a 5 MB
 * WebAssembly module at load time, which CSV-only callers shouldn't pay for. Decoded data
 * counts against `budget` (DATASET.TOO_LARGE_DECODED past it). Nested and dictionary columns
 * are bounded from every leaf's page headers before any data is decoded (parquet-nested.ts).
 * `checkSchema` sees the footer's schema before any data is decoded, and may refuse it.
 */
export async function ingestParquet(
  bytes: Uint8Array,
  budget = new DecodeBudget(UNLIMITED_DECODED_BYTES),
  checkSchema: (schema: Schema) => void = () => undefined,
): Promise<Table> {
  const n = bytes.length;
  if (n < 12 || !PAR1.every((b, i) => bytes[i] === b && bytes[n - 4 + i] === b)) {
    throw corrupt('missing the leading or trailing "PAR1" magic');
  }
  const wasm = await import('parquet-wasm');
  try {
    const schema = footerSchema(wasm, bytes);
    if (schema) {
      refuseDuplicateColumns(schema);
      checkSchema(normalViewSchema(schema));
    }
    const read = await readByRowGroup(wasm, bytes, undefined, { rows: CALL_ROWS, bytes: CALL_BYTES }, budget);
    if (read && 'notFlat' in read) {
      const { notFlat: schema, layout } = read;
      if (schema.fields.length > MAX_COLUMNS) throw tooManyColumns(schema.fields.length);
      const runs = groupRuns(layout.groupRows, layout.groupBytes, CALL_ROWS, CALL_BYTES);
      return readNestedParquet(wasm, bytes, layout, schema, runs, budget, PARQUET_BATCH_ROWS);
    }
    if (read) return read;
    return tableFromIPC(wasm.readParquet(bytes, { batchSize: PARQUET_BATCH_ROWS }).intoIPCStream());
  } catch (cause) {
    if (cause instanceof SplitvaultError) throw cause;
    throw corrupt(cause instanceof Error ? cause.message : String(cause), cause);
  }
}
