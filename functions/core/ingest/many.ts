/**
 * Many-file datasets (docs/SPLIT-SPEC.md §7): a list of files of one format whose rows, in
 * list order, are the dataset's rows. Text parts are typed as the one file their join would be;
 * Parquet and Arrow parts must agree on names, order and types, and their chunks are read as
 * one column's chunks (so dictionaries unify by §6.4). The whole list is held in one process:
 * the sharded engine will read the same parts, and this join stays its reference.
 */
import { Field, Schema, type Table } from 'apache-arrow';
import { type DatasetFormat, TEXT_FORMATS } from '../../../schemas/spec.js';
import { flattenColumn } from '../arrow/flat-column.js';
import { DatasetError } from '../errors.js';
import { ingestArrow } from './arrow-ipc.js';
import { csvColumns } from './csv.js';
import { DecodeBudget } from './decode-budget.js';
import { type IngestedColumns, type IngestOptions, ingestColumns } from './index.js';
import { joinCsv, joinJson, joinJsonl } from './join-text.js';
import { MAX_COLUMNS, maxCells, tooManyColumns, UNLIMITED_DECODED_BYTES } from './limits.js';
import { ingestParquet } from './parquet.js';
import { sniffFormat } from './sniff.js';

/** What error messages call a part: its name when it has one, else its address. */
export interface PartLabel {
  readonly sha256: string;
  readonly name?: string | undefined;
}

/** The files' rows in order, as one dataset's flat columns; errors name the file at fault. */
export async function ingestParts(
  parts: readonly Uint8Array[],
  labels: readonly PartLabel[],
  options: IngestOptions = {},
): Promise<IngestedColumns> {
  const format = partsFormat(parts, labels, options.format);
  if (TEXT_FORMATS.has(format)) {
    const joined = joinText(parts, labels, format, options);
    return ingestColumns(joined, { ...options, format });
  }
  const budget = new DecodeBudget(options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
  const tables: Table[] = [];
  for (const [index, part] of parts.entries()) {
    tables.push(
      await naming(labels, index, () =>
        format === 'parquet'
          ? ingestParquet(part, budget)
          : Promise.resolve(ingestArrow(part, format === 'arrow-stream', budget)),
      ),
    );
  }
  const schema = unifiedSchema(
    tables.map((table) => table.schema),
    labels,
  );
  if (schema.fields.length > MAX_COLUMNS) throw tooManyColumns(schema.fields.length);
  options.checkSchema?.(schema);
  const rows = tables.reduce((sum, table) => sum + table.numRows, 0);
  if (rows === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset has no data rows');
  const columns = schema.fields.map((field, i) =>
    flattenColumn(
      field.name,
      field.type,
      tables.flatMap((table) => table.getChildAt(i)?.data ?? []),
      rows,
    ),
  );
  return { format, schema, rows, columns };
}

/** One format for every part: the spec's, or each part's sniffed format, which must agree. */
export function partsFormat(
  parts: readonly Uint8Array[],
  labels: readonly PartLabel[],
  declared: DatasetFormat | undefined,
): DatasetFormat {
  let first: DatasetFormat | undefined;
  for (const [index, part] of parts.entries()) {
    if (part.length === 0) {
      throw new DatasetError('DATASET.EMPTY', `${describe(labels, index)} is empty (0 bytes)`, {
        details: fileDetails(labels, index),
      });
    }
    if (declared !== undefined) continue;
    const format = sniffFormat(part);
    first ??= format;
    if (format !== first) {
      throw new DatasetError(
        'DATASET.FORMAT_MISMATCH',
        `${describe(labels, index)} is ${format}, but the first file is ${first}`,
        { details: { ...fileDetails(labels, index), expected: first, actual: format } },
      );
    }
  }
  return declared ?? first!;
}

function joinText(
  parts: readonly Uint8Array[],
  labels: readonly PartLabel[],
  format: DatasetFormat,
  options: IngestOptions,
): Uint8Array {
  if (format === 'jsonl') return joinJsonl(parts);
  if (format === 'json') return joinJson(parts, (index) => notAnArray(labels, index));
  const delimiter = options.delimiter ?? ',';
  const cells = maxCells(options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
  // Each part is read alone first: its own errors name it, and its header must be the first's.
  let header: readonly string[] | undefined;
  for (const [index, part] of parts.entries()) {
    const names = namingSync(labels, index, () => csvColumns(part, delimiter, cells).map((c) => c.name));
    header ??= names;
    const column = mismatchedName(header, names);
    if (column !== undefined) {
      throw schemaMismatch(labels, index, column, `its header is ${names.join(delimiter)}`, {
        expected: header,
        actual: names,
      });
    }
  }
  return joinCsv(parts, delimiter);
}

/** The first column name where two headers differ, or undefined when they are the same. */
export function mismatchedName(expected: readonly string[], actual: readonly string[]): string | undefined {
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i++) {
    if (expected[i] !== actual[i]) return expected[i] ?? actual[i];
  }
  return undefined;
}

/**
 * The first part's schema, once every part has the same names, order and Arrow types; a field
 * is nullable when it is in any part.
 */
export function unifiedSchema(schemas: readonly Schema[], labels: readonly PartLabel[]): Schema {
  const first = schemas[0]!;
  const nullable = first.fields.map((field) => field.nullable);
  for (const [index, schema] of schemas.entries()) {
    const fields = schema.fields;
    const names = fields.map((field) => field.name);
    const column = mismatchedName(
      first.fields.map((field) => field.name),
      names,
    );
    if (column !== undefined) {
      throw schemaMismatch(labels, index, column, 'its columns differ from the first file', {
        expected: first.fields.map((field) => field.name),
        actual: names,
      });
    }
    for (const [i, field] of fields.entries()) {
      const expected = String(first.fields[i]!.type);
      if (String(field.type) !== expected) {
        throw schemaMismatch(
          labels,
          index,
          field.name,
          `its type is ${String(field.type)}, not ${expected}`,
          {
            expected,
            actual: String(field.type),
          },
        );
      }
      nullable[i] ||= field.nullable;
    }
  }
  return new Schema(
    first.fields.map((field, i) => Field.new({ ...field, nullable: nullable[i]! })),
    first.metadata,
  );
}

export function schemaMismatch(
  labels: readonly PartLabel[],
  index: number,
  column: string,
  why: string,
  more: Record<string, unknown>,
): DatasetError {
  return new DatasetError(
    'DATASET.SCHEMA_MISMATCH',
    `${describe(labels, index)} does not match the first file at column ${JSON.stringify(column)}: ${why}`,
    { details: { ...fileDetails(labels, index), column, ...more } },
  );
}

function notAnArray(labels: readonly PartLabel[], index: number): DatasetError {
  return new DatasetError('JSON.NOT_ARRAY', `${describe(labels, index)} is not one JSON array of objects`, {
    details: fileDetails(labels, index),
  });
}

function describe(labels: readonly PartLabel[], index: number): string {
  const label = labels[index];
  return `file ${index + 1} (${label?.name ?? label?.sha256 ?? 'unnamed'})`;
}

function fileDetails(labels: readonly PartLabel[], index: number): Record<string, unknown> {
  const label = labels[index];
  return {
    file: index,
    ...(label ? { sha256: label.sha256 } : {}),
    ...(label?.name ? { name: label.name } : {}),
  };
}

/** A part's own dataset error, with the file named in its message and details. */
export function named(labels: readonly PartLabel[], index: number, error: unknown): unknown {
  if (!(error instanceof DatasetError)) return error;
  return new DatasetError(error.code, `${describe(labels, index)}: ${error.message}`, {
    cause: error,
    details: { ...error.details, ...fileDetails(labels, index) },
  });
}

async function naming<T>(labels: readonly PartLabel[], index: number, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw named(labels, index, error);
  }
}

function namingSync<T>(labels: readonly PartLabel[], index: number, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw named(labels, index, error);
  }
}
