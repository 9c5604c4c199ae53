import {
  Bool,
  type DataType,
  Float64,
  Int64,
  Table,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { type FlatColumn, flattenTable } from '../../../functions/core/arrow/flat-column.js';

type Cell = number | string | boolean | bigint | null;

const TYPES: Record<string, () => DataType> = {
  int: () => new Int64(),
  float: () => new Float64(),
  bool: () => new Bool(),
  utf8: () => new Utf8(),
  ts: () => new TimestampMicrosecond('UTC'),
};

/** A table built directly (not through ingest): columns as [type, values]. */
export function makeTable(columns: Record<string, [keyof typeof TYPES, Cell[]]>): Table {
  const vectors = Object.fromEntries(
    Object.entries(columns).map(([name, [type, values]]) => {
      const t = TYPES[type]!();
      const cells = type === 'int' ? values.map((v) => (v === null ? null : BigInt(v as number))) : values;
      return [name, vectorFromArray(cells as never[], t)];
    }),
  );
  return new Table(vectors);
}

export function flatColumn(type: keyof typeof TYPES, values: Cell[], name = 'c'): FlatColumn {
  return flattenTable(makeTable({ [name]: [type, values] }))[0]!;
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
