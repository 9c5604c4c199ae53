import { type RecordBatch, RecordBatchReader, type Schema, Table, tableFromIPC } from 'apache-arrow';
import { DatasetError, SplitvaultError } from '../errors.js';
import { arrowTableFault } from './arrow-check.js';
import { registerArrowCodecs } from './arrow-codecs.js';
import type { BodyScan } from './arrow-compression.js';
import { arrowMetadataFault } from './arrow-metadata.js';
import { normalizeViews, normalViewSchema } from './arrow-views.js';
import type { DecodeBudget } from './decode-budget.js';
import { refuseDuplicateColumns } from './duplicate-columns.js';

const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];
/** Continuation marker then a zero metadata length: the end-of-stream message. */
const END_OF_STREAM = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0];

function endsWith(bytes: Uint8Array, tail: readonly number[]): boolean {
  const at = bytes.length - tail.length;
  return at >= 0 && tail.every((b, i) => bytes[at + i] === b);
}

function corrupt(why: string, cause?: unknown): DatasetError {
  return new DatasetError('ARROW.CORRUPT', `the Arrow IPC data is corrupt or truncated: ${why}`, { cause });
}

/**
 * The record batches an Arrow file's footer lists, read one by one. tableFromIPC iterates them
 * with a loop that never advances when a footer block points at a message that is not a
 * record batch (one flipped byte is enough), so a corrupt file would hang the worker; reading
 * by index returns null there instead.
 */
function readArrowFile(bytes: Uint8Array, checkSchema: (schema: Schema) => void): Table {
  const reader = RecordBatchReader.from(bytes);
  if (!reader.isFile()) throw corrupt('not an Arrow file');
  reader.open();
  checkSchema(reader.schema);
  const batches: RecordBatch[] = [];
  for (let i = 0; i < reader.numRecordBatches; i++) {
    const batch = reader.readRecordBatch(i);
    if (!batch) throw corrupt(`footer block ${i} is not a record batch`);
    batches.push(batch);
  }
  return new Table(reader.schema, batches);
}

/**
 * Arrow IPC file or stream to a Table, keeping the writer's schema. A stream must end with the
 * end-of-stream message: without it, a stream cut between two batches would read as a shorter
 * dataset instead of failing. LZ4_FRAME and ZSTD bodies are decompressed, after their declared
 * uncompressed lengths are counted against `budget`; Utf8View and BinaryView columns become
 * LargeUtf8 and LargeBinary (arrow-views.ts). Every offset, length, view and dictionary index
 * is checked against the buffers before the engine sizes anything from it, and the decoded
 * size is counted against `budget`.
 * `checkSchema` sees the schema (views already normalized) before any record batch is read,
 * and may refuse it.
 */
export function ingestArrow(
  bytes: Uint8Array,
  stream: boolean,
  budget: DecodeBudget,
  checkSchema: (schema: Schema) => void = () => undefined,
): Table {
  if (!stream && (bytes.length < 12 || !endsWith(bytes, FILE_MAGIC))) {
    throw corrupt('missing the trailing "ARROW1" magic');
  }
  if (stream && !endsWith(bytes, END_OF_STREAM)) throw corrupt('missing the end-of-stream marker');
  const scan: BodyScan = { inflated: 0 };
  const metadataFault = arrowMetadataFault(bytes, stream, scan);
  if (metadataFault) throw corrupt(metadataFault);
  budget.take(scan.inflated, 'the decompressed Arrow record batches');
  registerArrowCodecs();
  let table: Table;
  try {
    const checkNormal = (schema: Schema) => {
      refuseDuplicateColumns(schema);
      checkSchema(normalViewSchema(schema));
    };
    if (stream) checkNormal(RecordBatchReader.from(bytes).open().schema);
    table = normalizeViews(stream ? tableFromIPC(bytes) : readArrowFile(bytes, checkNormal), budget);
  } catch (cause) {
    if (cause instanceof SplitvaultError) throw cause;
    throw corrupt(cause instanceof Error ? cause.message : String(cause), cause);
  }
  if (table.schema.fields.length === 0) throw corrupt('no schema message');
  const fault = arrowTableFault(table, budget);
  if (fault) throw corrupt(fault);
  return table;
}
