import { type DataType, type Dictionary, type FixedSizeList, Int32, Type } from 'apache-arrow';
import type { DictionaryColumn, FlatColumn } from '../arrow/flat-column.js';
import { type Item, isObject, type JsonValue, kindOf, mismatch } from './json-row.js';
import { binaryColumn, boolColumn, fixedColumn, validityOf } from './json-scalars.js';

/**
 * Columns built from JSON values for every type split files carry (docs/SPLIT-SPEC.md §8.6):
 * lists as arrays, structs as objects by field name (or arrays in field order), maps as arrays
 * of [key, value] pairs, dictionaries by their value. Nested nulls become null slots whose
 * children are null too, as §3.2 lays out values under nulls.
 */

const NULL_ITEM = (path: string): Item => ({ value: null, path });

function listItems(item: Item, type: DataType): readonly JsonValue[] {
  if (!Array.isArray(item.value))
    throw mismatch(item.path, type, `expected an array, got ${kindOf(item.value)}`);
  return item.value as readonly JsonValue[];
}

/** A struct value's fields in field order, from an object by name or an array by position. */
function structFields(item: Item, type: DataType): readonly JsonValue[] {
  const names = type.children.map((f) => f.name);
  const v = item.value;
  if (Array.isArray(v)) {
    if (v.length !== names.length) {
      throw mismatch(item.path, type, `expected ${names.length} fields in field order, got ${v.length}`);
    }
    return v as readonly JsonValue[];
  }
  if (!isObject(v)) throw mismatch(item.path, type, `expected an object, got ${kindOf(v)}`);
  if (new Set(names).size !== names.length) {
    throw mismatch(item.path, type, 'two fields share a name: give the fields as an array, in field order');
  }
  const unknown = Object.keys(v).find((key) => !names.includes(key));
  if (unknown !== undefined) throw mismatch(`${item.path}.${unknown}`, type, 'no such field');
  const missing = names.find((name) => !Object.hasOwn(v, name));
  if (missing !== undefined)
    throw mismatch(`${item.path}.${missing}`, type, 'missing (write null for a null)');
  return names.map((name) => v[name]!);
}

/** A map entry as [key, value]: from a two-item array or a {key, value} object. */
function mapEntry(entry: Item, type: DataType): JsonValue {
  const v = entry.value;
  const pair = Array.isArray(v)
    ? v
    : isObject(v) && Object.keys(v).length === 2
      ? [v.key, v.value]
      : undefined;
  if (pair?.length !== 2 || pair[0] === undefined || pair[1] === undefined) {
    throw mismatch(
      entry.path,
      type,
      `expected a [key, value] pair or a {key, value} object, got ${kindOf(v)}`,
    );
  }
  if (pair[0] === null) throw mismatch(`${entry.path}.key`, type, 'a map key cannot be null');
  return pair as JsonValue;
}

function listColumn(name: string, type: DataType, items: readonly Item[]): FlatColumn {
  const isMap = type.typeId === Type.Map;
  const offsets = new Int32Array(items.length + 1);
  const children: Item[] = [];
  items.forEach((item, i) => {
    const values = item.value === null ? [] : listItems(item, type);
    values.forEach((value, k) => {
      const child = { value, path: `${item.path}[${k}]` };
      children.push(isMap ? { value: mapEntry(child, type), path: child.path } : child);
    });
    offsets[i + 1] = children.length;
  });
  const field = type.children[0]!;
  const child = buildColumn(`${name}.${field.name}`, field.type, children);
  return { kind: 'list', name, type, length: items.length, validity: validityOf(items), offsets, child };
}

function fixedListColumn(name: string, type: DataType, items: readonly Item[]): FlatColumn {
  const size = (type as FixedSizeList).listSize;
  const children = items.flatMap((item) => {
    if (item.value === null) return Array.from({ length: size }, (_, k) => NULL_ITEM(`${item.path}[${k}]`));
    const values = listItems(item, type);
    if (values.length !== size)
      throw mismatch(item.path, type, `expected ${size} items, got ${values.length}`);
    return values.map((value, k) => ({ value, path: `${item.path}[${k}]` }));
  });
  const field = type.children[0]!;
  const child = buildColumn(`${name}.${field.name}`, field.type, children);
  return { kind: 'fixed-list', name, type, length: items.length, validity: validityOf(items), size, child };
}

function structColumn(name: string, type: DataType, items: readonly Item[]): FlatColumn {
  const rows = items.map((item) => (item.value === null ? undefined : structFields(item, type)));
  const children = type.children.map((field, f) =>
    buildColumn(
      `${name}.${field.name}`,
      field.type,
      items.map((item, i) => ({ value: rows[i]?.[f] ?? null, path: `${item.path}.${field.name}` })),
    ),
  );
  return { kind: 'struct', name, type, length: items.length, validity: validityOf(items), children };
}

/** A dictionary column by value: its dictionary is the rows' own values, index i naming row i. */
function dictionaryColumn(name: string, type: DataType, items: readonly Item[]): DictionaryColumn {
  const dictionary = type as Dictionary;
  const values = buildColumn(name, dictionary.dictionary, items) as DictionaryColumn['values'];
  const indices = new Int32Array(items.map((_, i) => i));
  const validity = validityOf(items);
  return {
    kind: 'dictionary',
    name,
    type,
    length: items.length,
    validity,
    id: dictionary.id,
    indices: {
      kind: 'fixed',
      name,
      type: new Int32(),
      length: items.length,
      width: 4,
      bytes: new Uint8Array(indices.buffer),
      validity,
    },
    values,
    entries: Uint32Array.from(indices),
  };
}

/** A column of `type` holding `items`, laid out as split files hold it. */
export function buildColumn(name: string, type: DataType, items: readonly Item[]): FlatColumn {
  switch (type.typeId) {
    case Type.Bool:
      return boolColumn(name, type, items);
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary:
      return binaryColumn(name, type, items);
    case Type.List:
    case Type.LargeList:
    case Type.Map:
      return listColumn(name, type, items);
    case Type.FixedSizeList:
      return fixedListColumn(name, type, items);
    case Type.Struct:
      return structColumn(name, type, items);
    case Type.Dictionary:
      return dictionaryColumn(name, type, items);
    case Type.Null: {
      const bad = items.find((item) => item.value !== null);
      if (bad) throw mismatch(bad.path, type, `expected null, got ${kindOf(bad.value)}`);
      return {
        kind: 'null',
        name,
        type,
        length: items.length,
        validity: new Uint8Array((items.length + 7) >> 3),
      };
    }
    default:
      return fixedColumn(name, type, items);
  }
}
