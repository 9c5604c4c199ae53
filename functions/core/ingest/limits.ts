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
