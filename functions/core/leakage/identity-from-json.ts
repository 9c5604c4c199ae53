import { parse } from 'lossless-json';
import type { FieldInfo } from '../../../schemas/manifest.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { SplitvaultError, ValidationError } from '../errors.js';
import { buildColumn } from './json-columns.js';
import { type Item, isObject, type JsonValue, kindOf, mismatch } from './json-row.js';
import { rowIdentities } from './row-identity.js';
import { typeReadings } from './type-string.js';

/**
 * A row's identity from its values as JSON and the manifest's schema (docs/SPLIT-SPEC.md §8.6):
 * each value is laid out as a one-row column of its type, exactly as a split file would hold it,
 * and `rowIdentities` hashes those columns as it hashes a split file's rows (§8.1). So a user can
 * name a record by its values and prove whether it was in a split without reading the split.
 */

/** How many readings of one type string are tried before giving up (§8.6). */
const MAX_READINGS = 64;

/** The row's value of each column, in schema order: from an object by name or an array by position. */
function rowValues(schema: readonly FieldInfo[], row: JsonValue): JsonValue[] {
  const names = schema.map((f) => f.name);
  if (Array.isArray(row)) {
    if (row.length !== names.length) {
      throw mismatch('(row)', 'row', `expected ${names.length} values in schema order, got ${row.length}`);
    }
    return [...(row as readonly JsonValue[])];
  }
  if (!isObject(row))
    throw mismatch('(row)', 'row', `expected an object of column values, got ${kindOf(row)}`);
  if (new Set(names).size !== names.length) {
    throw mismatch('(row)', 'row', 'two columns share a name: give the row as an array, in schema order');
  }
  const unknown = Object.keys(row).find((key) => !names.includes(key));
  if (unknown !== undefined) throw mismatch(unknown, 'row', 'no such column in the split');
  const missing = schema.find((f) => !Object.hasOwn(row, f.name));
  if (missing) throw mismatch(missing.name, missing.type, 'missing from the row (write null for a null)');
  return names.map((name) => row[name]!);
}

/** The column of one value under the first reading of its type string that fits it (§8.6). */
function columnOf(field: FieldInfo, value: JsonValue): FlatColumn {
  if (value === null && !field.nullable) throw mismatch(field.name, field.type, 'the column holds no nulls');
  const item: Item = { value, path: field.name };
  let first: unknown;
  let tried = 0;
  for (const type of typeReadings(field.type)) {
    try {
      return buildColumn(field.name, type, [item]);
    } catch (error) {
      if (!(error instanceof SplitvaultError)) throw error;
      first ??= error;
    }
    if (++tried === MAX_READINGS) break;
  }
  if (first) throw first;
  throw new ValidationError(
    'MEMBERSHIP.UNSUPPORTED_TYPE',
    `column "${field.name}" has type ${field.type}, which is not a type split files carry`,
    { details: { column: field.name, type: field.type } },
  );
}

/** The identity of a row given as JSON values (numbers as lossless-json or plain numbers). */
export function rowIdentityFromValue(schema: readonly FieldInfo[], row: JsonValue): Uint8Array {
  const values = rowValues(schema, row);
  const columns = schema.map((field, c) => columnOf(field, values[c]!));
  return rowIdentities(columns, 1);
}

/** The identity of a row given as JSON text; numbers are read from their text, never via a double. */
export function rowIdentityFromJson(schema: readonly FieldInfo[], text: string): Uint8Array {
  let row: JsonValue;
  try {
    row = parse(text) as JsonValue;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ValidationError('MEMBERSHIP.ROW_NOT_JSON', `the row is not JSON: ${reason}`, { cause });
  }
  return rowIdentityFromValue(schema, row);
}
