import type { Schema, Table } from 'apache-arrow';
import { type ColumnType, type DatasetFormat, TEXT_FORMATS } from '../../../schemas/spec.js';
import { type FlatColumn, flattenTable } from '../arrow/flat-column.js';
import { DatasetError, ValidationError } from '../errors.js';
import { ingestArrow } from './arrow-ipc.js';
import { assembleColumns, assembleTable } from './assemble.js';
import type { ColumnCells } from './cells.js';
import { csvColumns } from './csv.js';
import { DecodeBudget } from './decode-budget.js';
import { jsonArrayColumns } from './json-array.js';
import { jsonlColumns } from './jsonl.js';
import {
  MAX_COLUMNS,
  MAX_TEXT_BYTES,
  maxCells,
  textTooLarge,
  tooManyColumns,
  UNLIMITED_DECODED_BYTES,
} from './limits.js';
import { ingestParquet } from './parquet.js';
import { sniffFormat } from './sniff.js';

export { MAX_COLUMNS } from './limits.js';
export { sniffFormat } from './sniff.js';

export interface IngestOptions {
  /** @default sniffed from the bytes (docs/SPLIT-SPEC.md, "Format sniffing") */
  readonly format?: DatasetFormat;
  /** CSV only. @default ',' */
  readonly delimiter?: ',' | '\t' | ';' | '|';
  /** CSV, JSON Lines and JSON only: declared types that replace inference for the named columns. */
  readonly schema?: Readonly<Record<string, ColumnType>>;
  /**
   * Most bytes of decoded data ingest may allocate (Arrow buffers, Parquet columns; for CSV
   * and JSON Lines, cells at CELL_BYTES each); past it, DATASET.TOO_LARGE_DECODED (413), or
   * DATASET.TOO_MANY_CELLS for text. @default unlimited
   */
  readonly maxDecodedBytes?: number;
  /**
   * Sees the schema as soon as it is known (Parquet and Arrow: before any value is decoded;
   * CSV and JSON Lines: once types are inferred) and may refuse it by throwing.
   * @default accepts every schema
   */
  readonly checkSchema?: (schema: Schema) => void;
}

export interface IngestedDataset {
  readonly table: Table;
  readonly format: DatasetFormat;
}

function checkShape(table: Table): Table {
  if (table.numCols > MAX_COLUMNS) throw tooManyColumns(table.numCols);
  if (table.numRows === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset has no data rows');
  return table;
}

/** The format to read, after the checks every format shares. */
function checkedFormat(source: Uint8Array, options: IngestOptions): DatasetFormat {
  if (source.length === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset is empty (0 bytes)');
  const format = options.format ?? sniffFormat(source);
  const binary = !TEXT_FORMATS.has(format);
  if (binary && options.schema !== undefined) {
    throw new ValidationError(
      'SPEC.SCHEMA_NOT_APPLICABLE',
      `an explicit schema applies to csv, jsonl and json, not ${format}`,
    );
  }
  if (!binary && source.length > MAX_TEXT_BYTES) throw textTooLarge(source.length);
  return format;
}

type TextFormat = 'csv' | 'jsonl' | 'json';

function isText(format: DatasetFormat): format is TextFormat {
  return TEXT_FORMATS.has(format);
}

/** The untyped cells of a text format (csv, jsonl, json). */
function textCells(
  source: Uint8Array,
  format: TextFormat,
  cells: number,
  options: IngestOptions,
): ColumnCells[] {
  if (format === 'csv') return csvColumns(source, options.delimiter ?? ',', cells);
  return format === 'jsonl' ? jsonlColumns(source, cells) : jsonArrayColumns(source, cells);
}

/** Parquet and Arrow IPC keep their own schema; only the shape is checked. */
async function binaryTable(
  source: Uint8Array,
  format: 'parquet' | 'arrow' | 'arrow-stream',
  options: IngestOptions,
): Promise<Table> {
  const budget = new DecodeBudget(options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
  const table =
    format === 'parquet'
      ? await ingestParquet(source, budget, options.checkSchema)
      : ingestArrow(source, format === 'arrow-stream', budget, options.checkSchema);
  return checkShape(table);
}

/**
 * Turns dataset bytes into an Arrow table: CSV, JSON Lines and JSON are typed by the rules in
 * docs/SPLIT-SPEC.md; Parquet and Arrow IPC keep their own schema. Throws DatasetError or
 * ValidationError with a stable code, never a raw reader exception.
 */
export async function ingest(source: Uint8Array, options: IngestOptions = {}): Promise<IngestedDataset> {
  const format = checkedFormat(source, options);
  if (isText(format)) {
    const cells = maxCells(options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
    const table = assembleTable(textCells(source, format, cells, options), options.schema, cells);
    options.checkSchema?.(table.schema);
    return { format, table };
  }
  return { format, table: await binaryTable(source, format, options) };
}

/** A dataset as the flat columns splitting reads, with the schema its split files carry. */
export interface IngestedColumns {
  readonly format: DatasetFormat;
  readonly schema: Schema;
  readonly rows: number;
  readonly columns: FlatColumn[];
}

/**
 * The same dataset as `ingest` (same types, same errors), but as flat columns: CSV and JSON
 * Lines text is not copied into an Arrow column first, since splitting copies each value into
 * its split file anyway. The columns may point into `source`, which must not change after.
 */
export async function ingestColumns(
  source: Uint8Array,
  options: IngestOptions = {},
): Promise<IngestedColumns> {
  const format = checkedFormat(source, options);
  if (isText(format)) {
    const budget = maxCells(options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
    const cells = textCells(source, format, budget, options);
    const { schema, columns } = assembleColumns(cells, options.schema, budget);
    options.checkSchema?.(schema);
    return { format, schema, rows: cells[0]!.rows, columns };
  }
  const table = await binaryTable(source, format, options);
  return { format, schema: table.schema, rows: table.numRows, columns: flattenTable(table) };
}
