import { type DataType, Type } from 'apache-arrow';
import { DatasetError } from '../errors.js';
import { temporalUnit } from '../split/column-values.js';

/**
 * The type check of a sticky re-freeze (docs/SPLIT-SPEC.md §8.5). Identities are built from
 * §2.3 keys, which are type-tagged (`i5` is not `s5`): a column whose type changed so that the
 * same value keys differently would make every parent row "added" and split afresh, moving
 * former test rows into train. So the identity columns must have types that key alike.
 */

/** A column's name and type, as a schema field carries them. */
export interface StickyField {
  readonly name: string;
  readonly type: DataType;
}

/** A dictionary-encoded type keys as its value type (§2.3, §6.5). */
function valueType(type: DataType): DataType {
  return type.typeId === Type.Dictionary ? (type as unknown as { dictionary: DataType }).dictionary : type;
}

const LISTS = new Set<Type>([Type.List, Type.LargeList, Type.FixedSizeList, Type.Map]);

/** The §2.3 key form of a scalar type: the tag and, for temporal types, the unit. */
function scalarForm(type: DataType): string {
  switch (type.typeId) {
    case Type.Int:
      return 'int';
    case Type.Float:
      return 'float';
    case Type.Decimal:
      return 'decimal';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 's';
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return 'x';
    case Type.Bool:
      return 'b';
    case Type.Timestamp:
    case Type.Date:
      return `t/${temporalUnit(type)}`;
    case Type.Time:
      return `h/${temporalUnit(type)}`;
    case Type.Duration:
      return `u/${temporalUnit(type)}`;
    case Type.Interval:
      return `v/${(type as unknown as { unit: number }).unit}`;
    default:
      return String(type);
  }
}

/**
 * Integers key as `i`, and so do integer-valued floats (within 2^53) and decimals; a float's
 * other values key as `f`, a decimal's as `m`, so float and decimal do not key alike.
 */
function numbersAlike(a: string, b: string): boolean {
  return (
    (a === 'int' && (b === 'float' || b === 'decimal')) || (b === 'int' && (a === 'float' || a === 'decimal'))
  );
}

/**
 * Whether every value of type `a` has the §8.1 encoding in type `b` that the same value has in
 * `a`. A null column holds only nulls, which key `n` in any type. Lists (any kind, maps
 * included) encode as their elements, structs as their fields in order, without names.
 */
export function keysAlike(a: DataType, b: DataType): boolean {
  const x = valueType(a);
  const y = valueType(b);
  if (x.typeId === Type.Null || y.typeId === Type.Null) return true;
  if (LISTS.has(x.typeId) || LISTS.has(y.typeId)) {
    return LISTS.has(x.typeId) && LISTS.has(y.typeId) && keysAlike(x.children[0]!.type, y.children[0]!.type);
  }
  if (x.typeId === Type.Struct || y.typeId === Type.Struct) {
    return (
      x.typeId === y.typeId &&
      x.children.length === y.children.length &&
      x.children.every((f, k) => keysAlike(f.type, y.children[k]!.type))
    );
  }
  const p = scalarForm(x);
  const q = scalarForm(y);
  return p === q || numbersAlike(p, q);
}

/**
 * Refuses a sticky re-freeze whose identity columns the parent and the dataset type so that
 * their rows' identities can't match: `STICKY.TYPE_CHANGED` for column `by` (or, for whole-row
 * identities, any column), `STICKY.COLUMNS_CHANGED` for whole-row identities when the column
 * names or their order differ. Both 422, raised as soon as the dataset's schema is known.
 */
export function checkStickyTypes(
  parent: readonly StickyField[],
  dataset: readonly StickyField[],
  by: string | undefined,
): void {
  if (by === undefined) {
    const before = parent.map((f) => f.name);
    const after = dataset.map((f) => f.name);
    if (before.length !== after.length || before.some((name, i) => name !== after[i])) {
      throw new DatasetError(
        'STICKY.COLUMNS_CHANGED',
        `the dataset's columns (${after.map((c) => JSON.stringify(c)).join(', ')}) are not the sticky parent's (${before.map((c) => JSON.stringify(c)).join(', ')}), so no whole row can match and rows would move between splits; name a key column with stickyBy`,
        { details: { parentColumns: before, datasetColumns: after } },
      );
    }
  }
  for (const field of dataset) {
    if (by !== undefined && field.name !== by) continue;
    const old = parent.find((f) => f.name === field.name);
    if (!old || keysAlike(old.type, field.type)) continue;
    const hint = by === undefined ? '; name a key column whose type is unchanged with stickyBy' : '';
    throw new DatasetError(
      'STICKY.TYPE_CHANGED',
      `column "${field.name}" is ${old.type} in the sticky parent but ${field.type} in the dataset, whose values key differently (§2.3), so rows would move between splits${hint}`,
      { details: { column: field.name, parentType: String(old.type), datasetType: String(field.type) } },
    );
  }
}
