import type { ColumnType } from '../../../schemas/spec.js';
import { type FlatColumn, flattenColumn } from '../arrow/flat-column.js';
import { DatasetError } from '../errors.js';
import { cellText } from '../ingest/assemble.js';
import { buildUtf8, checkTextColumn, utf8Ranges } from '../ingest/build-utf8.js';
import { CELL_ESCAPED, CELL_NULL, type ColumnCells } from '../ingest/cells.js';
import { headerNames } from '../ingest/csv.js';
import { lineAt, tokenizeCsv } from '../ingest/csv-tokenize.js';
import { BUILDERS } from '../ingest/infer.js';
import { jsonlRows } from '../ingest/jsonl.js';
import { maxCells, tooManyCells, UNLIMITED_DECODED_BYTES } from '../ingest/limits.js';
import { mismatchedName, named, schemaMismatch } from '../ingest/many.js';
import { bomLength } from '../ingest/utf8.js';
import { type InferScan, scanInference } from './infer-state.js';
import { type NestedScan, type NestedShape, scanNested, shardNested } from './nested-state.js';
import type { ShardPlan, TextShard } from './plan.js';
import type { DatasetSource } from './source.js';

const decoder = new TextDecoder();

/** A declared column's first cell its type refuses, in one shard. */
export interface Misfit {
  readonly row: number;
  readonly where: string;
  readonly raw: string;
}

/** A CSV or JSON Lines shard's facts (see scanShard). */
export interface TextScan {
  readonly kind: 'text';
  readonly index: number;
  readonly rows: number;
  /** Columns in order of first appearance in the shard (CSV: the header's). */
  readonly names: readonly string[];
  /** Per column: inference facts (undeclared flat columns), else null. */
  readonly inference: readonly (InferScan | null)[];
  /** Per column: the first cell a declared type refuses, if any. */
  readonly misfits: readonly (Misfit | null)[];
  /** Per column: some row holds an object or array (JSON Lines). */
  readonly nested: readonly boolean[];
  /**
   * JSON Lines, per undeclared column: its nested inference over the shard (used if any shard
   * makes the column nested); null for CSV and declared columns.
   */
  readonly shapes: readonly (NestedScan | null)[];
}

/** A text column's type: a flat type, or a nested column's shape (JSON Lines). */
export type TextColumnType = ColumnType | NestedShape;

function invalidUtf8(offset: number, byte: number): DatasetError {
  const bad = byte.toString(16).padStart(2, '0');
  return new DatasetError('DATASET.INVALID_UTF8', `invalid UTF-8 at byte offset ${offset} (byte 0x${bad})`, {
    details: { offset },
  });
}

/** Runs `read`, naming the file in its dataset errors when the dataset has several (as ingestParts). */
async function asPart<T>(plan: ShardPlan, file: number, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (plan.files.length < 2) throw error;
    throw named(plan.options.labels ?? [], file, error);
  }
}

async function faultByte(source: DatasetSource, file: number, offset: number): Promise<number> {
  return (await source.readRange(file, offset, offset + 1))[0]!;
}

/** The header's cell count and raw names (checked only by the file's last shard, as whole-file ingest checks them after every row). */
async function csvHeader(source: DatasetSource, plan: ShardPlan, file: number) {
  const bytes = await source.readRange(file, 0, plan.files[file]!.headerEnd!);
  const delimiter = plan.options.delimiter ?? ',';
  const { cells, width } = tokenizeCsv(bytes, bomLength(bytes), delimiter.charCodeAt(0));
  if (width === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset is empty: no header and no rows');
  const names = (check: boolean) =>
    check
      ? headerNames(bytes, cells.start, cells.end, cells.flags, width)
      : Array.from({ length: width }, (_, c) => {
          const name = decoder.decode(bytes.subarray(cells.start[c]!, cells.end[c]!));
          return cells.flags[c]! & CELL_ESCAPED ? name.replaceAll('""', '"') : name;
        });
  return { width, names };
}

/** A CSV shard's cells, one view per column, after the checks whole-file ingest makes of its file. */
async function csvCells(source: DatasetSource, plan: ShardPlan, shard: TextShard): Promise<ColumnCells[]> {
  const { file } = shard;
  const fault = plan.files[file]!.utf8Fault;
  if (shard.firstOfFile && fault !== undefined) {
    throw invalidUtf8(fault, await faultByte(source, file, fault));
  }
  const header = await csvHeader(source, plan, file);
  const bytes = await source.readRange(file, shard.start, shard.end);
  const delimiter = (plan.options.delimiter ?? ',').charCodeAt(0);
  const { cells, width } = tokenizeCsv(bytes, 0, delimiter, { width: header.width, firstLine: shard.line });
  const names = header.names(shard.lastOfFile);
  const rows = cells.length / width;
  const limit = maxCells(plan.options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
  if (rows * width > limit) throw tooManyCells(rows, width, limit);
  const { start, end, flags } = cells;
  const base = shard.joinedLine - 1;
  const locate = (row: number): string => `line ${lineAt(bytes, start[row * width]!) + base}`;
  return names.map((name, c) => ({ name, bytes, start, end, flags, first: c, stride: width, rows, locate }));
}

/** A later file's header must be the first file's (ingestParts checks it after reading the file). */
async function sameHeader(
  source: DatasetSource,
  plan: ShardPlan,
  file: number,
  names: readonly string[],
): Promise<void> {
  const first = (await csvHeader(source, plan, 0)).names(false);
  const column = mismatchedName(first, names);
  if (column !== undefined) {
    const delimiter = plan.options.delimiter ?? ',';
    throw schemaMismatch(plan.options.labels ?? [], file, column, `its header is ${names.join(delimiter)}`, {
      expected: first,
      actual: names,
    });
  }
}

/** A JSON Lines shard's cells, columns in order of first appearance in the shard. */
async function jsonlCells(source: DatasetSource, plan: ShardPlan, shard: TextShard): Promise<ShardCells> {
  if (shard.index === 0) {
    const file = plan.files.findIndex((f) => f.joinedFault !== undefined);
    if (file >= 0) {
      const { utf8Fault, joinedFault } = plan.files[file]!;
      throw invalidUtf8(joinedFault!, await faultByte(source, file, utf8Fault!));
    }
  }
  const bytes = await source.readRange(shard.file, shard.start, shard.end);
  const limit = maxCells(plan.options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
  try {
    return jsonlRows(bytes, limit, { firstLine: shard.joinedLine });
  } catch (error) {
    throw atJoinedOffset(error, shard.joinedOffset ?? 0);
  }
}

/** A parse error's `details.offset` moved from the shard's bytes to the joined text's (§1.4). */
function atJoinedOffset(error: unknown, base: number): unknown {
  if (!(error instanceof DatasetError) || typeof error.details.offset !== 'number' || base === 0)
    return error;
  return new DatasetError(error.code, error.message, {
    cause: error.cause,
    details: { ...error.details, offset: error.details.offset + base },
  });
}

/** A shard's cells per column, and its rows (a JSON Lines row may name no column). */
interface ShardCells {
  readonly columns: ColumnCells[];
  readonly rows: number;
  /** JSON Lines: the dataset line of the shard's row `r` (0-based). */
  readonly line?: (row: number) => number;
}

/** The shard's cells as whole-file ingest would see them (errors included). */
export async function textCells(
  source: DatasetSource,
  plan: ShardPlan,
  shard: TextShard,
): Promise<ShardCells> {
  if (plan.format !== 'csv') return jsonlCells(source, plan, shard);
  const cells = await asPart(plan, shard.file, () => csvCells(source, plan, shard));
  if (shard.lastOfFile && shard.file > 0) {
    await sameHeader(
      source,
      plan,
      shard.file,
      cells.map((c) => c.name),
    );
  }
  return { columns: cells, rows: cells[0]!.rows };
}

function declaredOf(plan: ShardPlan, name: string): ColumnType | undefined {
  const schema = plan.options.schema;
  return schema && Object.hasOwn(schema, name) ? schema[name] : undefined;
}

/** Scans one text shard: row count, columns, and what typing needs from it. */
export async function scanText(source: DatasetSource, plan: ShardPlan, shard: TextShard): Promise<TextScan> {
  const { columns, rows, line } = await textCells(source, plan, shard);
  const misfits = columns.map((column): Misfit | null => {
    const declared = declaredOf(plan, column.name);
    if (declared === undefined || declared === 'utf8') return null;
    const built = BUILDERS[declared](column, false);
    if (typeof built !== 'number') return null;
    return { row: built, where: column.locate(built), raw: cellText(column, built) };
  });
  return {
    kind: 'text',
    index: shard.index,
    rows,
    names: columns.map((c) => c.name),
    nested: columns.map((c) => c.nested !== undefined),
    inference: columns.map((column) =>
      declaredOf(plan, column.name) === undefined && !column.nested ? scanInference(column) : null,
    ),
    misfits,
    shapes: columns.map((column) =>
      line && declaredOf(plan, column.name) === undefined ? scanNested(column, line) : null,
    ),
  };
}

/** Every row null: a JSON Lines column this shard never names. */
function nullColumn(name: string, rows: number): ColumnCells {
  const none = new Uint32Array(rows);
  return {
    name,
    bytes: new Uint8Array(0),
    start: none,
    end: none,
    flags: new Uint8Array(rows).fill(CELL_NULL),
    first: 0,
    stride: 1,
    rows,
    locate: () => '',
  };
}

/** One column of the shard built as `type` (declared or inferred over the whole dataset). */
function buildColumn(column: ColumnCells, type: ColumnType, inferred: boolean): FlatColumn {
  if (type === 'utf8') {
    checkTextColumn(column);
    const ranges = utf8Ranges(column);
    return ranges ?? flattenColumn(column.name, buildUtf8(column).type, [buildUtf8(column)], column.rows);
  }
  const built = BUILDERS[type](column, inferred);
  if (typeof built === 'number') {
    // The scan saw every cell fit; different bytes now mean the source changed under us.
    throw new Error(`column "${column.name}" changed between scanning and reading its shard`);
  }
  return flattenColumn(column.name, built.type, [built], column.rows);
}

/** Reads a text shard's columns under the dataset's names and types. */
export async function readText(
  source: DatasetSource,
  plan: ShardPlan,
  shard: TextShard,
  names: readonly string[],
  types: readonly TextColumnType[],
): Promise<{ rows: number; columns: FlatColumn[] }> {
  const { columns: cells, rows, line } = await textCells(source, plan, shard);
  const byName = new Map(cells.map((c) => [c.name, c]));
  // As whole-file ingest, nested columns' child slots are charged after rows × columns, in
  // column order, before any column is built; here over this shard's rows (§7.5).
  const budget = {
    used: rows * cells.length,
    limit: maxCells(plan.options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES),
  };
  const nested = names.map((name, i) => {
    const type = types[i]!;
    if (typeof type === 'string') return undefined;
    const column = byName.get(name) ?? nullColumn(name, rows);
    return shardNested(column, type, line ?? ((r) => r + 1), budget);
  });
  const columns = names.map((name, i) => {
    const column = byName.get(name) ?? nullColumn(name, rows);
    const type = types[i]!;
    if (typeof type !== 'string') return nested[i]!.build();
    return buildColumn(column, type, declaredOf(plan, name) === undefined);
  });
  return { rows, columns };
}
