import type { DataType } from 'apache-arrow';
import { ValidationError } from '../errors.js';

/**
 * A row's values as JSON (docs/SPLIT-SPEC.md §8.6). Numbers keep their text (`{ value }`, as
 * lossless-json parses them), so no integer or decimal passes through a double; a plain JS
 * number is accepted too, read as its shortest round-trip text.
 */
export type JsonValue =
  | null
  | boolean
  | string
  | number
  | JsonNumberText
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** A JSON number as written. */
export interface JsonNumberText {
  readonly isLosslessNumber: true;
  readonly value: string;
}

/** One value to place in a column, and where it sits in the row (for messages). */
export interface Item {
  readonly value: JsonValue;
  readonly path: string;
}

export const ROW_MISMATCH = 'MEMBERSHIP.ROW_MISMATCH';

/** The row does not fit the schema at `path`: 400 MEMBERSHIP.ROW_MISMATCH naming the column. */
export function mismatch(path: string, type: DataType | string, reason: string): ValidationError {
  return new ValidationError(ROW_MISMATCH, `column "${path}" (${String(type)}): ${reason}`, {
    details: { column: path, type: String(type), reason },
  });
}

export function isNumberText(v: JsonValue): v is JsonNumberText {
  return typeof v === 'object' && v !== null && (v as Partial<JsonNumberText>).isLosslessNumber === true;
}

/** A JSON object (not an array, not a number). */
export function isObject(v: JsonValue): v is { readonly [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isNumberText(v);
}

/** The text of a number given as a JSON number or as a string; undefined for any other kind. */
export function numberText(v: JsonValue): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (isNumberText(v)) return v.value;
  return typeof v === 'string' ? v : undefined;
}

/** How a value is named in messages: its JSON kind. */
export function kindOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isNumberText(v) || typeof v === 'number') return 'a number';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'string' ? 'a string' : 'a boolean';
}
