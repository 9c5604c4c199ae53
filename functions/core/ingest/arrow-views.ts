import {
  Data,
  type DataType,
  Dictionary,
  Field,
  FixedSizeList,
  LargeBinary,
  LargeList,
  LargeUtf8,
  List,
  Map_,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Type,
} from 'apache-arrow';
import { bit } from '../arrow/flat-column.js';
import type { DecodeBudget } from './decode-budget.js';

/** One view: int32 length, then 12 inline bytes, or a 4-byte prefix, buffer index and offset. */
const VIEW_BYTES = 16;
const INLINE = 12;

/** True when `type` is, or holds at any depth, a Utf8View or BinaryView. */
function hasView(type: DataType): boolean {
  if (type.typeId === Type.Utf8View || type.typeId === Type.BinaryView) return true;
  if (type.typeId === Type.Dictionary) return hasView((type as Dictionary).dictionary);
  return (type.children ?? []).some((f: Field) => hasView(f.type));
}

const field = (f: Field): Field => new Field(f.name, normalType(f.type), f.nullable, f.metadata);

/** The type with every view replaced by its large counterpart; everything else kept. */
function normalType(type: DataType): DataType {
  if (!hasView(type)) return type;
  switch (type.typeId) {
    case Type.Utf8View:
      return new LargeUtf8();
    case Type.BinaryView:
      return new LargeBinary();
    case Type.List:
      return new List(field((type as List).children[0]!));
    case Type.LargeList:
      return new LargeList(field((type as LargeList).children[0]!));
    case Type.FixedSizeList:
      return new FixedSizeList((type as FixedSizeList).listSize, field((type as FixedSizeList).children[0]!));
    case Type.Struct:
      return new Struct((type as Struct).children.map(field));
    case Type.Map:
      return new Map_(field((type as Map_).children[0]!), (type as Map_).keysSorted);
    case Type.Dictionary: {
      const d = type as Dictionary;
      return new Dictionary(normalType(d.dictionary), d.indices, d.id, d.isOrdered);
    }
  }
  return type;
}

/** Why one view is unreadable, or undefined; `views` is the view buffer, `at` its byte offset. */
function viewFault(views: DataView, at: number, buffers: readonly Uint8Array[]): string | undefined {
  const length = views.getInt32(at, true);
  if (length < 0) return `a view has a negative length (${length})`;
  if (length <= INLINE) return undefined;
  const index = views.getInt32(at + 8, true);
  const offset = views.getInt32(at + 12, true);
  const buffer = buffers[index];
  if (!buffer) return `a view points at variadic buffer ${index}, of ${buffers.length}`;
  if (offset < 0 || offset + length > buffer.length) {
    return `a view's ${length} bytes at ${offset} pass the end of its ${buffer.length}-byte buffer`;
  }
  for (let i = 0; i < 4; i++) {
    if (views.getUint8(at + 4 + i) !== buffer[offset + i]) return "a view's prefix differs from its data";
  }
  return undefined;
}

/**
 * A view column as LargeUtf8 or LargeBinary: every non-null view is checked against the view
 * buffer and the variadic buffers before a byte of it is read, the output's size is taken from
 * the budget before it is allocated, then the values are copied. Throws with why it is corrupt.
 */
function normalLeaf(data: Data, budget: DecodeBudget): Data {
  const end = data.offset + data.length;
  const raw = data.values as Uint8Array;
  if (raw.length < end * VIEW_BYTES) throw new Error('its view buffer is shorter than its rows');
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  if (bitmap && bitmap.length < (end + 7) >> 3)
    throw new Error('its validity bitmap is shorter than its rows');
  const views = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const valid = (i: number) => !bitmap || bit(bitmap, i);
  let total = 0;
  for (let i = 0; i < end; i++) {
    if (!valid(i)) continue;
    const fault = viewFault(views, i * VIEW_BYTES, data.variadicBuffers);
    if (fault) throw new Error(fault);
    total += views.getInt32(i * VIEW_BYTES, true);
  }
  budget.take((end + 1) * 8 + total, 'the normalized view columns');
  const offsets = new BigInt64Array(end + 1);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < end; i++) {
    if (valid(i)) {
      const v = i * VIEW_BYTES;
      const length = views.getInt32(v, true);
      const from =
        length <= INLINE
          ? raw.subarray(v + 4, v + 4 + length)
          : data.variadicBuffers[views.getInt32(v + 8, true)]!.subarray(
              views.getInt32(v + 12, true),
            ).subarray(0, length);
      bytes.set(from, at);
      at += length;
    }
    offsets[i + 1] = BigInt(at);
  }
  const type = data.typeId === Type.Utf8View ? new LargeUtf8() : new LargeBinary();
  const whole = new Data(type, 0, end, bitmap ? -1 : 0, [offsets, bytes, bitmap ?? new Uint8Array(0)]);
  return data.offset === 0 ? whole : whole.slice(data.offset, data.length);
}

/** `data` with every view under it normalized (its type from normalType). */
function normalData(data: Data, budget: DecodeBudget): Data {
  if (!hasView(data.type)) return data;
  if (data.typeId === Type.Utf8View || data.typeId === Type.BinaryView) return normalLeaf(data, budget);
  const type = normalType(data.type);
  const children = data.children.map((c) => normalData(c, budget));
  const out = data.clone(type, data.offset, data.length, data.nullCount, data.buffers, children);
  if (data.dictionary) {
    out.dictionary = makeVector(data.dictionary.data.map((d) => normalData(d, budget)));
  }
  return out;
}

/** The schema a table takes once normalizeViews has run: what spec checks must see. */
export function normalViewSchema(schema: Schema): Schema {
  if (!schema.fields.some((f) => hasView(f.type))) return schema;
  return new Schema(schema.fields.map(field), schema.metadata);
}

/**
 * The table with every Utf8View and BinaryView column, at any depth (list items, struct
 * fields, map entries, dictionary values), turned into LargeUtf8 and LargeBinary: the split
 * spec's one string and binary layout for views (docs/SPLIT-SPEC.md). Field names,
 * nullability and metadata, and schema metadata, are kept. A hostile view is refused before
 * it is read. Tables without views come back as they are.
 */
export function normalizeViews(table: Table, budget: DecodeBudget): Table {
  const schema = normalViewSchema(table.schema);
  if (schema === table.schema) return table;
  const batches = table.batches.map((batch) => {
    const children = batch.data.children.map((c) => normalData(c, budget));
    const data = batch.data.clone(
      new Struct(schema.fields),
      0,
      batch.numRows,
      0,
      batch.data.buffers,
      children,
    );
    return new RecordBatch(schema, data, batch.metadata);
  });
  return new Table(schema, batches);
}
