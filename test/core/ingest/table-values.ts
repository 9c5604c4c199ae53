import { type Table, Type } from 'apache-arrow';

/**
 * A column as plain values for assertions. Timestamps come back as bigint microseconds (the
 * stored integers), since apache-arrow's getter rounds them to float milliseconds.
 */
export function columnValues(table: Table, name: string): unknown[] {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`no column ${name}`);
  if (vector.type.typeId !== Type.Timestamp) return [...vector];
  const out: unknown[] = [];
  for (const data of vector.data) {
    const raw = data.values as BigInt64Array;
    for (let i = 0; i < data.length; i++) out.push(data.getValid(i) ? raw[data.offset + i] : null);
  }
  return out;
}

/** `name:Type` for each field, e.g. "a:Int64", to compare schemas in one string. */
export function schemaOf(table: Table): string[] {
  return table.schema.fields.map((f) => `${f.name}:${f.type}`);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
