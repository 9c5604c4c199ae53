import { type Data, Field, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import type { ColumnType } from '../../../schemas/spec.js';
import { DatasetError, ValidationError } from '../errors.js';
import type { ColumnCells } from './cells.js';
import { BUILDERS, buildInferred } from './infer.js';

const decoder = new TextDecoder();

function mismatch(column: ColumnCells, row: number, type: ColumnType): DatasetError {
  const i = column.first + row * column.stride;
  const raw = decoder.decode(column.bytes.subarray(column.start[i]!, column.end[i]!));
  const value = raw.length > 100 ? `${raw.slice(0, 100)}...` : raw;
  return new DatasetError(
    'DATASET.TYPE_MISMATCH',
    `column "${column.name}", row ${row + 1} (${column.locate(row)}): ${JSON.stringify(value)} is not a valid ${type}`,
    { details: { column: column.name, row: row + 1, value, type } },
  );
}

function buildDeclared(column: ColumnCells, type: ColumnType): Data {
  const built = BUILDERS[type](column, false);
  if (typeof built === 'number') throw mismatch(column, built, type);
  return built;
}

/** An explicit schema may only name columns the dataset has. */
function checkSchemaColumns(
  columns: readonly ColumnCells[],
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
): Table {
  if (schema) checkSchemaColumns(columns, schema);
  const rows = columns[0]?.rows ?? 0;
  if (rows === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset has no data rows');
  const children = columns.map((column) =>
    schema && Object.hasOwn(schema, column.name)
      ? buildDeclared(column, schema[column.name]!)
      : buildInferred(column).data,
  );
  const fields = columns.map((column, i) => new Field(column.name, children[i]!.type, true));
  const arrowSchema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table(arrowSchema, [new RecordBatch(arrowSchema, data)]);
}
