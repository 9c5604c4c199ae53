import { type Table, tableFromIPC } from 'apache-arrow';
import { DatasetError } from '../errors.js';

const ARROW1 = 'ARROW1';

function endsWithMagic(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const tail = bytes.subarray(bytes.length - ARROW1.length);
  return [...ARROW1].every((ch, i) => tail[i] === ch.charCodeAt(0));
}

function corrupt(why: string, cause?: unknown): DatasetError {
  return new DatasetError('ARROW.CORRUPT', `the Arrow IPC data is corrupt or truncated: ${why}`, { cause });
}

/**
 * Arrow IPC file or stream to a Table, keeping the writer's schema. apache-arrow's reader
 * stops quietly at a short stream, so the declared body lengths are checked against the bytes.
 */
export function ingestArrow(bytes: Uint8Array, stream: boolean): Table {
  if (!stream && !endsWithMagic(bytes)) throw corrupt('missing the trailing "ARROW1" magic');
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw corrupt(cause instanceof Error ? cause.message : String(cause), cause);
  }
  if (table.schema.fields.length === 0) throw corrupt('no schema message');
  return table;
}
