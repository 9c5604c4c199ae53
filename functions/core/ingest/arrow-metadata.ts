import { Date as ArrowDate } from 'apache-arrow/fb/date';
import { DateUnit } from 'apache-arrow/fb/date-unit';
import { Decimal } from 'apache-arrow/fb/decimal';
import { DictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Duration } from 'apache-arrow/fb/duration';
import type { Field } from 'apache-arrow/fb/field';
import { FixedSizeBinary } from 'apache-arrow/fb/fixed-size-binary';
import { FloatingPoint } from 'apache-arrow/fb/floating-point';
import { Footer } from 'apache-arrow/fb/footer';
import { Int } from 'apache-arrow/fb/int';
import { Interval } from 'apache-arrow/fb/interval';
import { IntervalUnit } from 'apache-arrow/fb/interval-unit';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { Schema } from 'apache-arrow/fb/schema';
import { Time } from 'apache-arrow/fb/time';
import { TimeUnit } from 'apache-arrow/fb/time-unit';
import { Timestamp } from 'apache-arrow/fb/timestamp';
import { Type } from 'apache-arrow/fb/type';
import { ByteBuffer } from 'flatbuffers';
import { DatasetError } from '../errors.js';
import { type BodyScan, compressedBodyFault } from './arrow-compression.js';

/**
 * Most nested fields (fields with children: list, struct, map...) on one path from a top-level
 * field down, counted as JSON Lines counts its levels (a column's array or object is level 1,
 * a scalar adds none), so that every split file written from JSON (at most 64 levels, json-skip.ts)
 * reads back as input. Bounds recursion on hostile bytes.
 */
const MAX_DEPTH = 64;
const CONTINUATION = -1;

/**
 * Checks that every count in the IPC metadata (flatbuffer vector lengths: fields, children,
 * field nodes, buffers, record batch blocks) fits the bytes that hold it, before apache-arrow
 * decodes it: apache-arrow loops over a count as stated, so one flipped byte in a vector length
 * made it build a billion objects out of a 600-byte file. Compressed bodies are checked too
 * (arrow-compression.ts), their declared uncompressed lengths summed into `scan.inflated`.
 * Returns why the metadata is corrupt, or undefined; throws ARROW.UNSUPPORTED_COMPRESSION for
 * a codec ingest doesn't decode. Counts that fit are then the reader's to check.
 */
export function arrowMetadataFault(bytes: Uint8Array, stream: boolean, scan: BodyScan): string | undefined {
  try {
    // A file is read through its footer (schema and blocks), never message by message.
    return stream ? messagesFault(bytes, 0, scan) : fileFault(bytes, scan);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}

function fits(count: number, size: number, bb: ByteBuffer, what: string): string | undefined {
  return count * size > bb.capacity()
    ? `${what} claims ${count} entries in ${bb.capacity()} bytes`
    : undefined;
}

/** A dictionary-encoded field: its name and its value type, as a readable name. */
interface DictionaryField {
  readonly name: string;
  readonly type: string;
}

/**
 * A field's value type with the parameters that make two types of one kind differ (widths,
 * units, time zone, precision and scale), as a readable name such as `Int64` or
 * `Timestamp<MILLISECOND, UTC>`. Dictionary values are never nested (§6.1), so children are
 * left out.
 */
function typeName(field: Field): string {
  const type = field.typeType();
  const name = Type[type] ?? `type ${type}`;
  const params = (...values: unknown[]) => `${name}<${values.join(', ')}>`;
  switch (type) {
    case Type.Int: {
      const t = field.type(new Int()) as Int;
      return `${t.isSigned() ? 'Int' : 'Uint'}${t.bitWidth()}`;
    }
    case Type.FloatingPoint:
      return `Float${16 << (field.type(new FloatingPoint()) as FloatingPoint).precision()}`;
    case Type.Date:
      return params(DateUnit[(field.type(new ArrowDate()) as ArrowDate).unit()]);
    case Type.Time: {
      const t = field.type(new Time()) as Time;
      return params(TimeUnit[t.unit()], t.bitWidth());
    }
    case Type.Timestamp: {
      const t = field.type(new Timestamp()) as Timestamp;
      return params(TimeUnit[t.unit()], t.timezone() ?? 'no time zone');
    }
    case Type.Duration:
      return params(TimeUnit[(field.type(new Duration()) as Duration).unit()]);
    case Type.Interval:
      return params(IntervalUnit[(field.type(new Interval()) as Interval).unit()]);
    case Type.Decimal: {
      const t = field.type(new Decimal()) as Decimal;
      return params(t.precision(), t.scale(), t.bitWidth());
    }
    case Type.FixedSizeBinary:
      return params((field.type(new FixedSizeBinary()) as FixedSizeBinary).byteWidth());
    default:
      return name;
  }
}

/**
 * Two dictionary-encoded fields sharing an id share one dictionary, so their value types must
 * match: apache-arrow refuses otherwise with a message naming neither field nor id.
 */
function dictionaryIdFault(field: Field, seen: Map<bigint, DictionaryField>): string | undefined {
  const id = field.dictionary()?.id();
  if (id === undefined) return undefined;
  const mine = { name: field.name() ?? '', type: typeName(field) };
  const other = seen.get(id);
  if (!other) {
    seen.set(id, mine);
    return undefined;
  }
  return other.type === mine.type
    ? undefined
    : `fields "${other.name}" (${other.type}) and "${mine.name}" (${mine.type}) share dictionary id ${id} but hold different value types`;
}

/**
 * `depth`: how many nested fields enclose this one; `dictionaries`: the dictionary ids seen so
 * far in the schema, with the field that first used each.
 */
function fieldFault(
  field: Field | null,
  bb: ByteBuffer,
  depth: number,
  dictionaries: Map<bigint, DictionaryField>,
): string | undefined {
  if (!field) return undefined;
  const n = field.childrenLength();
  if (n > 0 && depth + 1 > MAX_DEPTH) return `the schema nests more than ${MAX_DEPTH} levels deep`;
  const own =
    fits(n, 4, bb, 'a field') ??
    fits(field.customMetadataLength(), 4, bb, 'field metadata') ??
    dictionaryIdFault(field, dictionaries);
  if (own) return own;
  for (let i = 0; i < n; i++) {
    const fault = fieldFault(field.children(i), bb, depth + 1, dictionaries);
    if (fault) return fault;
  }
  return undefined;
}

function schemaFault(schema: Schema | null, bb: ByteBuffer): string | undefined {
  if (!schema) return undefined;
  const n = schema.fieldsLength();
  const own = fits(n, 4, bb, 'the schema') ?? fits(schema.customMetadataLength(), 4, bb, 'schema metadata');
  if (own) return own;
  const dictionaries = new Map<bigint, DictionaryField>();
  for (let i = 0; i < n; i++) {
    const fault = fieldFault(schema.fields(i), bb, 0, dictionaries);
    if (fault) return fault;
  }
  return undefined;
}

function batchFault(batch: RecordBatch | null, bb: ByteBuffer): string | undefined {
  if (!batch) return undefined;
  return (
    fits(batch.nodesLength(), 16, bb, 'a record batch') ??
    fits(batch.buffersLength(), 16, bb, 'a record batch') ??
    fits(batch.variadicBufferCountsLength(), 8, bb, 'a record batch') ??
    variadicFault(batch)
  );
}

/**
 * A view column's variadic buffers are buffers of the batch, so their counts can't add up to
 * more than it lists: apache-arrow builds an array of each count as stated.
 */
function variadicFault(batch: RecordBatch): string | undefined {
  let total = 0;
  for (let i = 0; i < batch.variadicBufferCountsLength(); i++) {
    const count = Number(batch.variadicBufferCounts(i));
    if (!(count >= 0)) return 'a variadic buffer count is negative';
    total += count;
  }
  return total > batch.buffersLength()
    ? `variadic buffer counts add up to ${total}, past the batch's ${batch.buffersLength()} buffers`
    : undefined;
}

/**
 * The message whose metadata starts at `at` (after its length prefix) and is `length` long,
 * with its body right after it.
 */
function messageFault(bytes: Uint8Array, at: number, length: number, scan: BodyScan): string | undefined {
  if (length < 0 || at + length > bytes.length) return 'a message runs past the end of the data';
  const bb = new ByteBuffer(bytes.subarray(at, at + length));
  const message = Message.getRootAsMessage(bb);
  const own = fits(message.customMetadataLength(), 4, bb, 'message metadata');
  if (own) return own;
  let batch: RecordBatch | null = null;
  switch (message.headerType()) {
    case MessageHeader.Schema:
      return schemaFault(message.header(new Schema()) as Schema | null, bb);
    case MessageHeader.RecordBatch:
      batch = message.header(new RecordBatch()) as RecordBatch | null;
      break;
    case MessageHeader.DictionaryBatch:
      batch = (message.header(new DictionaryBatch()) as DictionaryBatch | null)?.data() ?? null;
      break;
  }
  const body = Number(message.bodyLength());
  if (!(body >= 0) || at + length + body > bytes.length)
    return 'a message body runs past the end of the data';
  return (
    batchFault(batch, bb) ?? (batch ? compressedBodyFault(batch, bytes, at + length, body, scan) : undefined)
  );
}

/** A stream's messages one after the other from `from`, up to the end-of-stream marker. */
function messagesFault(bytes: Uint8Array, from: number, scan: BodyScan): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = from; p + 4 <= bytes.length; ) {
    const prefixed = view.getInt32(p, true) === CONTINUATION;
    if (prefixed && p + 8 > bytes.length) return 'a message length is cut off';
    const length = view.getInt32(prefixed ? p + 4 : p, true);
    if (length === 0) return undefined;
    const at = p + (prefixed ? 8 : 4);
    const fault = messageFault(bytes, at, length, scan);
    if (fault) return fault;
    p =
      at +
      length +
      Number(Message.getRootAsMessage(new ByteBuffer(bytes.subarray(at, at + length))).bodyLength());
  }
  return undefined;
}

/** The footer of an Arrow file: its schema, and the message at each block it lists. */
function fileFault(bytes: Uint8Array, scan: BodyScan): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getInt32(bytes.length - 10, true);
  const start = bytes.length - 10 - length;
  if (length <= 0 || start < 8) return 'the file footer length is out of range';
  const bb = new ByteBuffer(bytes.subarray(start, start + length));
  const footer = Footer.getRootAsFooter(bb);
  const batches = footer.recordBatchesLength();
  const dictionaries = footer.dictionariesLength();
  const own =
    fits(batches, 24, bb, 'the file footer') ??
    fits(dictionaries, 24, bb, 'the file footer') ??
    schemaFault(footer.schema(), bb);
  if (own) return own;
  const blocks = [
    ...Array.from({ length: batches }, (_, i) => footer.recordBatches(i)),
    ...Array.from({ length: dictionaries }, (_, i) => footer.dictionaries(i)),
  ];
  for (const block of blocks) {
    if (!block) continue;
    const offset = Number(block.offset());
    if (!(offset >= 8) || offset + 8 > start) return 'a file footer block points outside the data';
    const prefixed = view.getInt32(offset, true) === CONTINUATION;
    const fault = messageFault(
      bytes,
      offset + (prefixed ? 8 : 4),
      view.getInt32(prefixed ? offset + 4 : offset, true),
      scan,
    );
    if (fault) return fault;
  }
  return undefined;
}
