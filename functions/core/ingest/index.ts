import type { Table } from 'apache-arrow';
import type { ColumnType, DatasetFormat } from '../../../schemas/spec.js';
import { DatasetError, ValidationError } from '../errors.js';
import { ingestArrow } from './arrow-ipc.js';
import { ingestCsv } from './csv.js';
import { ingestJsonl } from './jsonl.js';
import { MAX_COLUMNS, MAX_TEXT_BYTES, textTooLarge, tooManyColumns } from './limits.js';
import { ingestParquet } from './parquet.js';
import { sniffFormat } from './sniff.js';

export { MAX_COLUMNS } from './limits.js';
export { sniffFormat } from './sniff.js';

export interface IngestOptions {
  /** @default sniffed from the bytes (docs/SPLIT-SPEC.md, "Format sniffing") */
  readonly format?: DatasetFormat;
  /** CSV only. @default ',' */
  readonly delimiter?: ',' | '\t' | ';' | '|';
  /** CSV and JSON Lines only: declared types that replace inference for the named columns. */
  readonly schema?: Readonly<Record<string, ColumnType>>;
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

/**
 * Turns dataset bytes into an Arrow table: CSV and JSON Lines are typed by the rules in
 * docs/SPLIT-SPEC.md; Parquet and Arrow IPC keep their own schema. Throws DatasetError or
 * ValidationError with a stable code, never a raw reader exception.
 */
export async function ingest(source: Uint8Array, options: IngestOptions = {}): Promise<IngestedDataset> {
  if (source.length === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset is empty (0 bytes)');
  const format = options.format ?? sniffFormat(source);
  const binary = format !== 'csv' && format !== 'jsonl';
  if (binary && options.schema !== undefined) {
    throw new ValidationError(
      'SPEC.SCHEMA_NOT_APPLICABLE',
      `an explicit schema applies to csv and jsonl, not ${format}`,
    );
  }
  if (!binary && source.length > MAX_TEXT_BYTES) throw textTooLarge(source.length);
  switch (format) {
    case 'csv':
      return { format, table: ingestCsv(source, options.delimiter ?? ',', options.schema) };
    case 'jsonl':
      return { format, table: ingestJsonl(source, options.schema) };
    case 'parquet':
      return { format, table: checkShape(await ingestParquet(source)) };
    case 'arrow':
    case 'arrow-stream':
      return { format, table: checkShape(ingestArrow(source, format === 'arrow-stream')) };
  }
}
