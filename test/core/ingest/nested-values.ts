import { type Table, Vector } from 'apache-arrow';

/** An Arrow value as plain JS: lists as arrays, structs as objects, int64 as bigint. */
export function plain(value: unknown): unknown {
  if (value instanceof Vector) return [...value].map(plain);
  const toJSON = (value as { toJSON?: unknown } | null)?.toJSON;
  if (value !== null && typeof value === 'object' && typeof toJSON === 'function') {
    const json = (value as { toJSON(): Record<string, unknown> }).toJSON();
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Every row of the table as a plain object. */
export function plainRows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) => plain(row) as Record<string, unknown>);
}
