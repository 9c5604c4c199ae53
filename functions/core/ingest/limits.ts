import { TooLargeError } from '../errors.js';

/**
 * Widest table ingest accepts. apache-arrow checks a record batch's fields against its schema
 * pairwise, so building a batch costs time quadratic in the column count (about 1.5 s at
 * 10,000 columns, minutes at 100,000); past this the split engine could not write its files
 * in reasonable time either.
 */
export const MAX_COLUMNS = 10_000;

export function tooManyColumns(count: number): TooLargeError {
  return new TooLargeError(
    'DATASET.TOO_MANY_COLUMNS',
    `the dataset has ${count} columns; at most ${MAX_COLUMNS} are supported`,
    { details: { columns: count, limit: MAX_COLUMNS } },
  );
}

/** Cell positions are 32-bit byte offsets into the text (plus unescaped JSON strings). */
export const MAX_TEXT_BYTES = 2 ** 32 - 1;

export function textTooLarge(bytes: number): TooLargeError {
  return new TooLargeError(
    'DATASET.TOO_LARGE',
    `the ${bytes}-byte text dataset exceeds the ${MAX_TEXT_BYTES}-byte limit for CSV and JSON Lines`,
    { details: { bytes, limit: MAX_TEXT_BYTES } },
  );
}

/**
 * Decoded bytes per freeze when the caller sets no budget: none, so benchmarks and tools that
 * call the engine directly see the whole dataset. The service always passes its configured
 * budget (SPLITVAULT_MAX_DECODED_BYTES).
 */
export const UNLIMITED_DECODED_BYTES = Number.POSITIVE_INFINITY;

export function tooLargeDecoded(bytes: number, limit: number, what: string): TooLargeError {
  return new TooLargeError(
    'DATASET.TOO_LARGE_DECODED',
    `the dataset decodes to more than its ${limit}-byte budget (${what} needs at least ${bytes} bytes); raise SPLITVAULT_MAX_DECODED_BYTES to freeze it`,
    { details: { bytes, limit } },
  );
}

/**
 * What one cell of CSV or JSON Lines costs before typing: two 32-bit positions and a flag
 * byte, plus its typed value (up to 8 bytes and a validity bit), rounded up.
 */
export const CELL_BYTES = 16;

/** The cell count a decoded-size budget allows (rows × columns, missing JSON keys included). */
export function maxCells(maxDecodedBytes: number): number {
  return Math.floor(maxDecodedBytes / CELL_BYTES);
}

export function tooManyCells(rows: number, columns: number, limit: number): TooLargeError {
  return new TooLargeError(
    'DATASET.TOO_MANY_CELLS',
    `the dataset has at least ${rows} rows × ${columns} columns = ${rows * columns} cells (missing keys count); at most ${limit} cells fit the decoded-size budget (${CELL_BYTES} bytes per cell)`,
    { details: { rows, columns, cells: rows * columns, limit } },
  );
}

/**
 * Most row groups a Parquet file may have: the Rust reader parquet-wasm decodes with numbers
 * them with a 16-bit signed ordinal (0 to 32,767) and refuses any file with more.
 */
export const MAX_ROW_GROUPS = 32_768;

export function tooManyRowGroups(count: number): TooLargeError {
  return new TooLargeError(
    'PARQUET.TOO_MANY_ROW_GROUPS',
    `the Parquet file has ${count} row groups; at most ${MAX_ROW_GROUPS} are supported (rewrite it with larger row groups)`,
    { details: { rowGroups: count, limit: MAX_ROW_GROUPS } },
  );
}

/** The cell budget refusal for a JSON column whose nested values need more slots than remain. */
export function tooManyNestedCells(column: string, cells: number, limit: number): TooLargeError {
  return new TooLargeError(
    'DATASET.TOO_MANY_CELLS',
    `column "${column}" brings the dataset to at least ${cells} cells (rows × columns plus the slots of nested values); at most ${limit} cells fit the decoded-size budget (${CELL_BYTES} bytes per cell)`,
    { details: { column, cells, limit } },
  );
}
