import { type Data, Field, makeData, RecordBatch, Schema, Struct, Table, Utf8 } from 'apache-arrow';
import type { ColumnType } from '../../../schemas/spec.js';
import { type FlatColumn, flattenColumn } from '../arrow/flat-column.js';
import { DatasetError, ValidationError } from '../errors.js';
import { buildUtf8, checkTextColumn, utf8Ranges } from './build-utf8.js';
import type { ColumnCells } from './cells.js';
import { BUILDERS, inferColumn } from './infer.js';
import { buildNested } from './nested-build.js';
import { type CellBudget, inferNested } from './nested-infer.js';

const decoder = new TextDecoder();

function mismatch(column: ColumnCells, row: number, type: ColumnType): DatasetError {
  return typeMismatch(column.name, row, column.locate(row), cellText(column, row), type);
}

/** The source text of cell `row` of a column. */
export function cellText(column: ColumnCells, row: number): string {
  const i = column.first + row * column.stride;
  return decoder.decode(column.bytes.subarray(column.start[i]!, column.end[i]!));
}

/** DATASET.TYPE_MISMATCH for data row `row` (0-based, of the dataset) found at `where` ("line 7"). */
export function typeMismatch(
  name: string,
  row: number,
  where: string,
  raw: string,
  type: ColumnType,
): DatasetError {
  const value = raw.length > 100 ? `${raw.slice(0, 100)}...` : raw;
  return new DatasetError(
    'DATASET.TYPE_MISMATCH',
    `column "${name}", row ${row + 1} (${where}): ${JSON.stringify(value)} is not a valid ${type}`,
    { details: { column: name, row: row + 1, value, type } },
  );
}

function buildDeclared(column: ColumnCells, type: ColumnType): Data {
  const built = BUILDERS[type](column, false);
  if (typeof built === 'number') throw mismatch(column, built, type);
  return built;
}

/** A column's type: one of the flat types, or `nested` (built from nested inference). */
type Typed =
  | { readonly type: ColumnType; readonly data?: Data }
  | { readonly type: 'nested'; readonly data: Data };

/**
 * Every column typed (declared, else inferred) and built, except flat utf8, which is left to
 * the caller. Nested columns are inferred after the flat ones have been checked, and all of
 * them before any is built, so the cell budget refuses before the large allocations.
 */
function typeColumns(
  columns: readonly ColumnCells[],
  schema: Readonly<Record<string, ColumnType>> | undefined,
  maxCells: number,
): Typed[] {
  if (schema) checkSchemaColumns(columns, schema);
  const rows = columns[0]?.rows ?? 0;
  if (rows === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset has no data rows');
  const budget: CellBudget = { used: rows * columns.length, limit: maxCells };
  const declaredType = (column: ColumnCells) =>
    schema && Object.hasOwn(schema, column.name) ? schema[column.name]! : undefined;
  const nested = columns.map((column) =>
    column.nested && declaredType(column) === undefined ? inferNested(column, budget) : undefined,
  );
  return columns.map((column, i): Typed => {
    const tree = nested[i];
    if (tree) return { type: 'nested', data: buildNested(column, tree) };
    const declared = declaredType(column);
    const typed =
      declared === undefined
        ? inferColumn(column)
        : declared === 'utf8'
          ? { type: declared }
          : { type: declared, data: buildDeclared(column, declared) };
    if (typed.type === 'utf8') checkTextColumn(column);
    return typed;
  });
}

/** An explicit schema may only name columns the dataset has. */
export function checkSchemaColumns(
  columns: readonly { readonly name: string }[],
  schema: Readonly<Record<string, ColumnType>>,
): void {
  const names = new Set(columns.map((c) => c.name));
  for (const name of Object.keys(schema)) {
    if (!names.has(name)) {
      throw new ValidationError(
        'SPEC.UNKNOWN_COLUMN',
        `schema names column "${name}", which the dataset lacks`,
        {
          details: { column: name },
        },
      );
    }
  }
}

/**
 * Types each column (declared, else inferred) and builds one record batch. Every field is
 * nullable: text formats have no way to promise a column is never empty.
 */
export function assembleTable(
  columns: readonly ColumnCells[],
  schema: Readonly<Record<string, ColumnType>> | undefined,
  maxCells = Number.POSITIVE_INFINITY,
): Table {
  const typed = typeColumns(columns, schema, maxCells);
  const children = typed.map((t, i) => t.data ?? buildUtf8(columns[i]!));
  const fields = columns.map((column, i) => new Field(column.name, children[i]!.type, true));
  const arrowSchema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length: columns[0]!.rows, nullCount: 0, children });
  return new Table(arrowSchema, [new RecordBatch(arrowSchema, data)]);
}

/**
 * The same typing as assembleTable, straight to the flat columns splitting reads: text stays
 * in the source bytes as ranges instead of being copied into an Arrow column first.
 */
export function assembleColumns(
  columns: readonly ColumnCells[],
  schema: Readonly<Record<string, ColumnType>> | undefined,
  maxCells = Number.POSITIVE_INFINITY,
): { readonly schema: Schema; readonly columns: FlatColumn[] } {
  const typed = typeColumns(columns, schema, maxCells);
  const flat = typed.map((t, i): FlatColumn => {
    const column = columns[i]!;
    if (t.data) return flattenColumn(column.name, t.data.type, [t.data], column.rows);
    return utf8Ranges(column) ?? flattenColumn(column.name, new Utf8(), [buildUtf8(column)], column.rows);
  });
  return { schema: new Schema(flat.map((c) => new Field(c.name, c.type, true))), columns: flat };
}
