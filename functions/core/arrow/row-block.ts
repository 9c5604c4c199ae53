import {
  type DataType,
  type Dictionary,
  Field,
  FixedSizeList,
  LargeList,
  List,
  Map_,
  Schema,
  Struct,
  Table,
  Type,
  tableFromIPC,
} from 'apache-arrow';
import { type FlatColumn, flattenTable } from './flat-column.js';
import { BATCH_ROWS, FileBlock, fileLead, fileTail, LEAD, planBatch, writeBatch } from './ipc-batch.js';

/**
 * A row block: some rows of a split, fewer than one batch, held as a small Arrow IPC file so
 * they can outlive the columns they came from (the rows a writer keeps between appends, the
 * edge rows a shard hands to the combine). Two rules make it lossless for the split file:
 * - bool bits under nulls are kept even when every row of the block is null (the file rule that
 *   zeroes them applies to the split's batches, which a block is not);
 * - a dictionary column is held as its indices (the schema's index type), since a record batch
 *   carries nothing else of it: the dictionary itself is written once, at the file's start.
 */

/** `type` with every dictionary replaced by its index type, nesting kept. */
function indexType(type: DataType): DataType {
  const fields = () => type.children.map((f) => new Field(f.name, indexType(f.type), f.nullable));
  switch (type.typeId) {
    case Type.Dictionary:
      return (type as Dictionary).indices;
    case Type.List:
      return new List(fields()[0]!);
    case Type.LargeList:
      return new LargeList(fields()[0]!);
    case Type.FixedSizeList:
      return new FixedSizeList((type as FixedSizeList).listSize, fields()[0]!);
    case Type.Struct:
      return new Struct(fields());
    case Type.Map:
      return new Map_(fields()[0] as Field<Struct>, (type as Map_).keysSorted);
    default:
      return type;
  }
}

/** The schema row blocks of a split with this schema are written in. */
export function rowBlockSchema(schema: Schema): Schema {
  return new Schema(schema.fields.map((f) => new Field(f.name, indexType(f.type), f.nullable)));
}

/** Rows 0 … n − 1. */
export function allRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** `rows` of `columns` (fewer than BATCH_ROWS) as a row block in `blockSchema` (rowBlockSchema). */
export function encodeRowBlock(
  blockSchema: Schema,
  columns: readonly FlatColumn[],
  rows: Uint32Array,
): Uint8Array {
  if (rows.length >= BATCH_ROWS) throw new RangeError(`a row block holds fewer than ${BATCH_ROWS} rows`);
  const batch = planBatch(columns, rows);
  const blocks = rows.length > 0 ? [new FileBlock(batch.metaLength, batch.bodyLength, LEAD)] : [];
  const end = LEAD + (rows.length > 0 ? batch.metaLength + batch.bodyLength : 0);
  const tail = fileTail(blockSchema, blocks, []);
  const out = new Uint8Array(end + tail.byteLength);
  out.set(fileLead(), 0);
  if (rows.length > 0) writeBatch(out, LEAD, batch, true);
  out.set(tail, end);
  return out;
}

/**
 * The rows of `blocks` (of one schema, at least one of them not empty), in order, as flat
 * columns (dictionary columns as their indices).
 */
export function readRowBlocks(blocks: readonly Uint8Array[]): { columns: FlatColumn[]; rows: number } {
  // An empty block reads as one empty batch whose nested columns lack their buffers: leave it out.
  const tables = blocks.map((b) => tableFromIPC(b)).filter((t) => t.numRows > 0);
  if (tables.length === 0) throw new RangeError('no rows in these row blocks');
  // The schema as read back, not as written: apache-arrow compares a batch's schema by the
  // classes it decodes types into, which need not be the ones the writer was given.
  const table = new Table(
    tables[0]!.schema,
    tables.flatMap((t) => t.batches),
  );
  return { columns: flattenTable(table), rows: table.numRows };
}
