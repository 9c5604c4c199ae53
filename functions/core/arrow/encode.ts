import { makeData, RecordBatch, type Schema, Struct, Table, tableToIPC } from 'apache-arrow';
import type { FlatColumn } from './flat-column.js';
import { takeColumn } from './take.js';

/** Rows per record batch in split files: fixed so that the same rows give the same bytes. */
export const BATCH_ROWS = 65_536;

/**
 * One split as an Arrow IPC file: the source schema unchanged, the rows in the given order in
 * record batches of BATCH_ROWS (the last one shorter), and no batch at all for zero rows.
 */
export function encodeSplit(schema: Schema, columns: readonly FlatColumn[], rows: Uint32Array): Uint8Array {
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const slice = rows.subarray(start, Math.min(start + BATCH_ROWS, rows.length));
    const children = columns.map((col) => takeColumn(col, slice));
    const data = makeData({ type: new Struct(schema.fields), length: slice.length, nullCount: 0, children });
    batches.push(new RecordBatch(schema, data));
  }
  return tableToIPC(new Table(schema, batches), 'file');
}
