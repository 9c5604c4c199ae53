/**
 * Shard ingest (docs/SPLIT-SPEC.md, "Execution note: reading a dataset in shards"): a dataset
 * of one or many files read as an ordered list of shards, each a contiguous range of rows,
 * with memory set by the shard, not the dataset. Three passes:
 *
 * 1. `planShards` cuts the files (text at row boundaries, Parquet by row group, Arrow by
 *    record batch);
 * 2. `scanShard` gives each shard's facts (row count, inference state, chunk dictionaries),
 *    and `mergeScans` folds them in shard order into the dataset's schema and unified
 *    dictionaries: what whole-file ingest (ingestColumns, ingestParts) would give;
 * 3. `readShard` gives a shard's columns under that schema.
 *
 * Concatenating every shard's columns, in order, gives exactly ingest's columns. Errors are
 * ingest's own, with the same codes and messages; scans and reads may run in parallel, and a
 * driver then reports the failure of the lowest shard index, which is the one whole-file
 * ingest would have met first.
 */
import type { Schema } from 'apache-arrow';
import type { DatasetFormat } from '../../../schemas/spec.js';
import { TEXT_FORMATS } from '../../../schemas/spec.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { DatasetError, ValidationError } from '../errors.js';
import { MAX_TEXT_BYTES, textTooLarge } from '../ingest/limits.js';
import { partsFormat } from '../ingest/many.js';
import { sniffFormat } from '../ingest/sniff.js';
import { planBinary } from './binary-plan.js';
import { type BinaryScan, readBinary, scanBinary, type UnifiedDictionary } from './binary-shards.js';
import { schemaFromIpc, schemaToIpc } from './ipc-carry.js';
import { mergeBinary, mergeText } from './merge-scans.js';
import { DEFAULT_SHARD_BYTES, type ShardOptions, type ShardPlan } from './plan.js';
import { notShardable } from './refusals.js';
import type { DatasetSource } from './source.js';
import { planText } from './text-plan.js';
import { readText, scanText, type TextColumnType, type TextScan } from './text-shards.js';

export type { BinaryShard, Shard, ShardOptions, ShardPlan, TextShard } from './plan.js';
export type { DatasetSource } from './source.js';

/** One shard's rows under the dataset's schema; columns concatenated over all shards equal ingest's. */
export interface ShardColumns {
  /** Shard number, 0-based, in row order. */
  readonly index: number;
  /** Global row number of the shard's row 0. */
  readonly firstRow: number;
  readonly rows: number;
  /** Same names, types and order as the dataset's schema. */
  readonly columns: readonly FlatColumn[];
}

/** One shard's mergeable facts. */
export type ShardScan = TextScan | BinaryScan;

/**
 * The dataset as whole-file ingest would type it, from every shard's scan. Plain data (as
 * scans and plans are), so it may be structured-cloned to workers or stored as a task's input.
 */
export interface MergedScan {
  readonly format: DatasetFormat;
  /** The dataset's schema as an Arrow IPC stream: `mergedSchema` reads it. */
  readonly schema: Uint8Array;
  readonly rows: number;
  /** Per shard: its rows, and the global row number of its first. */
  readonly shardRows: readonly number[];
  readonly firstRows: readonly number[];
  /** Text: each column's type (declared or inferred; a nested JSON Lines column's shape). */
  readonly types?: readonly TextColumnType[];
  /** Parquet and Arrow: per column, the unified dictionary of a dictionary column. */
  readonly dictionaries?: readonly (UnifiedDictionary | null)[];
}

/** Leading bytes read to sniff a file's format. */
const SNIFF_BYTES = 64 * 1024;

async function formatOf(source: DatasetSource, options: ShardOptions): Promise<DatasetFormat> {
  const { sizes } = source;
  if (sizes.length === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset has no files');
  if (sizes.length === 1) {
    if (sizes[0] === 0) throw new DatasetError('DATASET.EMPTY', 'the dataset is empty (0 bytes)');
    if (options.format) return options.format;
    return sniffFormat(await source.readRange(0, 0, Math.min(sizes[0]!, SNIFF_BYTES)));
  }
  const prefixes = await Promise.all(
    sizes.map((size, file) =>
      size === 0 || options.format
        ? new Uint8Array(size === 0 ? 0 : 1)
        : source.readRange(file, 0, Math.min(size, SNIFF_BYTES)),
    ),
  );
  return partsFormat(prefixes, options.labels ?? [], options.format);
}

/**
 * Cuts the dataset into shards. Text is read once, in order, to find row boundaries that
 * respect CSV quoting; Parquet and Arrow files are cut from their footers. JSON (one array)
 * is refused with DATASET.NOT_SHARDABLE: read it in one process.
 */
export async function planShards(source: DatasetSource, options: ShardOptions = {}): Promise<ShardPlan> {
  const format = await formatOf(source, options);
  const text = TEXT_FORMATS.has(format);
  if (!text && options.schema !== undefined) {
    throw new ValidationError(
      'SPEC.SCHEMA_NOT_APPLICABLE',
      `an explicit schema applies to csv, jsonl and json, not ${format}`,
    );
  }
  const target = Math.max(1, options.targetShardBytes ?? DEFAULT_SHARD_BYTES);
  if (format === 'json') throw notShardable('a JSON array is read in one process');
  const { files, shards } = text
    ? await planText(source, format === 'csv', options.delimiter ?? ',', target, options.readChunkBytes)
    : await planBinary(source, format as 'parquet' | 'arrow' | 'arrow-stream', target);
  return { format, options, files, shards };
}

/** Scans shard `index` (see the module comment); throws ingest's error for a fault in it. */
export async function scanShard(source: DatasetSource, plan: ShardPlan, index: number): Promise<ShardScan> {
  const shard = plan.shards[index]!;
  if (shard.kind === 'binary') return scanBinary(source, plan, shard);
  // Cell positions are 32-bit offsets into the shard's bytes (MAX_TEXT_BYTES now bounds a shard).
  if (shard.end - shard.start > MAX_TEXT_BYTES) throw textTooLarge(shard.end - shard.start);
  return scanText(source, plan, shard);
}

/**
 * Folds the scans, in shard order, into the dataset's schema and unified dictionaries.
 * `checkSchema` sees the schema, as ingest's option of that name does, and may refuse it.
 */
export function mergeScans(
  plan: ShardPlan,
  scans: readonly ShardScan[],
  checkSchema: (schema: Schema) => void = () => undefined,
): MergedScan {
  const shardRows = scans.map((scan) => scan.rows);
  const firstRows: number[] = [];
  let rows = 0;
  for (const n of shardRows) {
    firstRows.push(rows);
    rows += n;
  }
  const common = { format: plan.format, rows, shardRows, firstRows };
  if (plan.format === 'csv' || plan.format === 'jsonl') {
    const { schema, types } = mergeText(plan, scans as TextScan[], firstRows);
    checkSchema(schema);
    return { ...common, schema: schemaToIpc(schema), types };
  }
  const { schema, dictionaries } = mergeBinary(plan, scans as BinaryScan[], checkSchema);
  return { ...common, schema: schemaToIpc(schema), dictionaries };
}

/** The dataset's schema (what its split files carry). */
export function mergedSchema(merged: MergedScan): Schema {
  return schemaFromIpc(merged.schema);
}

/** Shard `index`'s columns under the dataset's schema, dictionary indices into the unified U. */
export async function readShard(
  source: DatasetSource,
  plan: ShardPlan,
  merged: MergedScan,
  index: number,
): Promise<ShardColumns> {
  const shard = plan.shards[index]!;
  const read =
    shard.kind === 'text'
      ? await readText(
          source,
          plan,
          shard,
          mergedSchema(merged).fields.map((f) => f.name),
          merged.types!,
        )
      : await readBinary(source, plan, shard, merged.dictionaries!);
  if (read.rows !== merged.shardRows[index]) {
    throw new Error(
      `shard ${index} read ${read.rows} rows, not the ${merged.shardRows[index]} its scan counted`,
    );
  }
  return { index, firstRow: merged.firstRows[index]!, rows: read.rows, columns: read.columns };
}
