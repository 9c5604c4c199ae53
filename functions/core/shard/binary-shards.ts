import { type Data, type Dictionary, type Table, Type, type Vector } from 'apache-arrow';
import {
  type DictionaryColumn,
  type FixedColumn,
  type FlatColumn,
  flattenColumn,
} from '../arrow/flat-column.js';
import { ownIndices, remapRows } from '../arrow/flat-dictionary.js';
import { DatasetError, TooLargeError } from '../errors.js';
import { ingestArrow } from '../ingest/arrow-ipc.js';
import { normalViewSchema } from '../ingest/arrow-views.js';
import { DecodeBudget } from '../ingest/decode-budget.js';
import { UNLIMITED_DECODED_BYTES } from '../ingest/limits.js';
import { named } from '../ingest/many.js';
import { ingestParquet } from '../ingest/parquet.js';
import { arrowFileShardStream, sameSchema } from './arrow-file-shard.js';
import { chunksFromIpc, chunksToIpc, schemaToIpc } from './ipc-carry.js';
import { parquetShardFile } from './parquet-shard.js';
import { type BinaryShard, DEFAULT_SHARD_BYTES, type ShardPlan } from './plan.js';
import type { DatasetSource } from './source.js';

/** A chunk dictionary: its values as an IPC stream (ipc-carry.ts), and how many there are. */
export interface ChunkDictionary {
  readonly ipc: Uint8Array;
  readonly size: number;
}

/** A Parquet or Arrow shard's facts (see scanShard). */
export interface BinaryScan {
  readonly kind: 'binary';
  readonly index: number;
  readonly rows: number;
  /** The shard's file's schema, as an IPC stream (ipc-carry.ts). */
  readonly schema: Uint8Array;
  /** Per column: for a dictionary column, its distinct chunk dictionaries in chunk order; else null. */
  readonly dictionaries: readonly (readonly ChunkDictionary[] | null)[];
}

/** The unified dictionary of one column and where each shard's dictionaries land in it. */
export interface UnifiedDictionary {
  /** U's source values, as an IPC stream (ipc-carry.ts), and how many rows it holds. */
  readonly values: Uint8Array;
  readonly size: number;
  readonly entries: Uint32Array;
  /** remaps[shard][k]: entry j of the shard's k-th dictionary is entry remaps[shard][k][j] of U. */
  readonly remaps: readonly (readonly Uint32Array[])[];
}

/** Row offsets of an Arrow file's record batches [0, n]. */
function unitStarts(shard: BinaryShard, table: Table): number[] {
  const lengths = table.batches.map((b) => b.numRows);
  const starts = [0];
  for (const n of lengths) starts.push(starts[starts.length - 1]! + n);
  if (starts[starts.length - 1] !== table.numRows) {
    throw new Error(
      `file ${shard.file} decoded to ${table.numRows} rows, not the ${starts.at(-1)} its footer lists`,
    );
  }
  return starts;
}

/** The file decoded whole, by whole-file ingest's reader for the format. */
async function wholeFile(source: DatasetSource, plan: ShardPlan, file: number): Promise<Table> {
  const budget = new DecodeBudget(plan.options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
  const bytes = await source.readRange(file, 0, source.sizes[file]!);
  return plan.format === 'parquet'
    ? ingestParquet(bytes, budget)
    : ingestArrow(bytes, plan.format === 'arrow-stream', budget);
}

/**
 * Only the shard's units: a Parquet file's row groups (as a Parquet file of their own, read as
 * the footer and their column chunks), an Arrow file's batches (as a stream).
 */
async function shardUnits(
  source: DatasetSource,
  plan: ShardPlan,
  shard: BinaryShard,
): Promise<Table | undefined> {
  if (plan.format === 'parquet') {
    const slice = await parquetShardFile(source, shard.file, shard.from, shard.to);
    if (!slice) return undefined;
    const budget = new DecodeBudget(plan.options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
    return ingestParquet(slice, budget);
  }
  const read = await arrowFileShardStream(source, shard.file, shard.from, shard.to);
  if (!read) return undefined;
  const budget = new DecodeBudget(plan.options.maxDecodedBytes ?? UNLIMITED_DECODED_BYTES);
  const table = ingestArrow(read.stream, true, budget);
  return sameSchema(table.schema, normalViewSchema(read.schema)) ? table : undefined;
}

/**
 * The shard's rows as a table, read by whole-file ingest's own readers (so its values and
 * checks are theirs): a Parquet shard reads and decodes only its row groups' column chunks
 * and the footer, an Arrow file shard only its record batches and the file's dictionaries.
 * Should that fail, the file is read whole and cut, so a refusal is the one whole-file ingest
 * gives — a Parquet file only if it is no bigger than a shard's target, else the slice's own
 * refusal stands; an Arrow stream is always read whole.
 */
async function shardTable(source: DatasetSource, plan: ShardPlan, shard: BinaryShard): Promise<Table> {
  const { file } = shard;
  try {
    if (shard.whole) return await wholeFile(source, plan, file);
    // A unit the shard path refuses is left to the whole file's reader, which decides — but a
    // Parquet file only when it is no more input than a shard may hold: a damaged page in every row
    // group must not make every shard hold the whole upload. Past that the slice's own refusal
    // stands (the same reader on the same pages: a Parquet slice's fault is reported with the
    // code whole-file ingest gives it). The decode budget is the shard's own (SPLIT-SPEC
    // §7.5), so its refusal always stands.
    const parquet = plan.format === 'parquet';
    const fits = !parquet || source.sizes[file]! <= (plan.options.targetShardBytes ?? DEFAULT_SHARD_BYTES);
    const units = await shardUnits(source, plan, shard).catch((error: unknown) => {
      if (error instanceof TooLargeError || !fits) throw error;
      return undefined;
    });
    if (units) return units;
    if (!fits) {
      // The plan makes a file no slice can be cut from one whole shard, so this file's bytes
      // are not the ones planned: read whole they would be more than a shard may hold.
      throw new DatasetError(
        'PARQUET.CORRUPT',
        'the Parquet file is corrupt or truncated: its footer no longer lays out the row groups it was planned by',
      );
    }
    const table = await wholeFile(source, plan, file);
    if (plan.format === 'parquet') {
      const rows = plan.files[file]!.groupRows!;
      const start = rows.slice(0, shard.from).reduce((a, b) => a + b, 0);
      return table.slice(start, start + rows.slice(shard.from, shard.to).reduce((a, b) => a + b, 0));
    }
    const starts = unitStarts(shard, table);
    return table.slice(starts[shard.from]!, starts[shard.to]!);
  } catch (error) {
    throw plan.files.length > 1 ? named(plan.options.labels ?? [], file, error) : error;
  }
}

/** The shard's distinct dictionaries of a column, in chunk order, and each chunk's one among them. */
function chunkDictionaries(chunks: readonly Data[]): { vectors: Vector[]; which: number[] } {
  const vectors: Vector[] = [];
  const which = chunks.map((c) => {
    const v = c.dictionary as Vector;
    const k = vectors.indexOf(v);
    return k >= 0 ? k : vectors.push(v) - 1;
  });
  return { vectors, which };
}

function columnChunks(table: Table, i: number): readonly Data[] {
  return table.getChildAt(i)?.data ?? [];
}

export async function scanBinary(
  source: DatasetSource,
  plan: ShardPlan,
  shard: BinaryShard,
): Promise<BinaryScan> {
  const table = await shardTable(source, plan, shard);
  return {
    kind: 'binary',
    index: shard.index,
    rows: table.numRows,
    schema: schemaToIpc(table.schema),
    dictionaries: table.schema.fields.map((field, i) => {
      if (field.type.typeId !== Type.Dictionary) return null;
      const { dictionary } = field.type as Dictionary;
      return chunkDictionaries(columnChunks(table, i)).vectors.map((v) => ({
        ipc: chunksToIpc(dictionary, v.data),
        size: v.length,
      }));
    }),
  };
}

/** A dictionary column's shard: its indices remapped into the unified dictionary U. */
function dictionaryColumn(
  name: string,
  type: Dictionary,
  chunks: readonly Data[],
  rows: number,
  unified: UnifiedDictionary,
  shard: number,
): DictionaryColumn {
  const values = flattenColumn(name, type.dictionary, chunksFromIpc(unified.values), unified.size);
  const source = flattenColumn(
    name,
    type.indices,
    chunks.map((c) => c.clone(type.indices)),
    rows,
  ) as FixedColumn;
  const { which } = chunkDictionaries(chunks);
  let indices = source;
  let row = 0;
  for (const [i, c] of chunks.entries()) {
    const remap = unified.remaps[shard]![which[i]!]!;
    if (!remap.every((to, j) => to === j)) {
      if (indices === source) indices = ownIndices(source);
      remapRows(indices, row, c.length, remap);
    }
    row += c.length;
  }
  return {
    kind: 'dictionary',
    name,
    type,
    length: rows,
    validity: indices.validity,
    id: type.id,
    indices,
    values: values as DictionaryColumn['values'],
    entries: unified.entries,
  };
}

export async function readBinary(
  source: DatasetSource,
  plan: ShardPlan,
  shard: BinaryShard,
  dictionaries: readonly (UnifiedDictionary | null)[],
): Promise<{ rows: number; columns: FlatColumn[] }> {
  const table = await shardTable(source, plan, shard);
  const rows = table.numRows;
  const columns = table.schema.fields.map((field, i) => {
    const unified = dictionaries[i];
    return unified
      ? dictionaryColumn(
          field.name,
          field.type as Dictionary,
          columnChunks(table, i),
          rows,
          unified,
          shard.index,
        )
      : flattenColumn(field.name, field.type, columnChunks(table, i), rows);
  });
  return { rows, columns };
}
