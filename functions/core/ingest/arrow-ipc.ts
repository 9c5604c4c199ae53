import { type Table, tableFromIPC } from 'apache-arrow';
import { DatasetError } from '../errors.js';

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
 * Arrow IPC file or stream to a Table, keeping the writer's schema. A stream must end with the
 * end-of-stream message: without it, a stream cut between two batches would read as a shorter
 * dataset instead of failing.
 */
export function ingestArrow(bytes: Uint8Array, stream: boolean): Table {
  if (!stream && (bytes.length < 12 || !endsWith(bytes, FILE_MAGIC))) {
    throw corrupt('missing the trailing "ARROW1" magic');
  }
  if (stream && !endsWith(bytes, END_OF_STREAM)) throw corrupt('missing the end-of-stream marker');
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw corrupt(cause instanceof Error ? cause.message : String(cause), cause);
  }
  if (table.schema.fields.length === 0) throw corrupt('no schema message');
  return table;
}
