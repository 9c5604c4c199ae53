import { type Data, Field, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import type { ColumnType } from '../../../schemas/spec.js';
import { DatasetError, ValidationError } from '../errors.js';
import { buildUtf8 } from './build-utf8.js';
import { buildBool, buildFloat64, buildInt64, buildTimestamp } from './build-typed.js';
import type { ColumnCells } from './cells.js';
import { inferType } from './infer.js';

const BUILDERS: Record<ColumnType, (column: ColumnCells) => Data> = {
  int64: buildInt64,
  float64: buildFloat64,
  bool: buildBool,
  utf8: buildUtf8,
  timestamp: buildTimestamp,
};

/** An explicit schema may only name columns the dataset has. */
function checkSchemaColumns(columns: readonly ColumnCells[], schema: Readonly<Record<string, ColumnType>>): void {
  const names = new Set(columns.map((c) => c.name));
  for (const name of Object.keys(schema)) {
    if (!names.has(name)) {
      throw new ValidationError('SPEC.UNKNOWN_COLUMN', `schema names column "${name}", which the dataset lacks`, {
        details: { column: name },
      });
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
  const children = columns.map((column) => {
    const type = schema && Object.hasOwn(schema, column.name) ? schema[column.name]! : inferType(column);
    return BUILDERS[type](column);
  });
  const fields = columns.map((column, i) => new Field(column.name, children[i]!.type, true));
  const arrowSchema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table(arrowSchema, [new RecordBatch(arrowSchema, data)]);
}
