import type { Schema } from 'apache-arrow';
import { splitDictionaries } from './encode-dictionary.js';
import type { FlatColumn } from './flat-column.js';
import {
  BATCH_ROWS,
  FileBlock,
  fileLead,
  fileTail,
  LEAD,
  type PlannedBatch,
  planBatch,
  planDictionaries,
  writeBatch,
} from './ipc-batch.js';

export { BATCH_ROWS };

/**
 * One split as an Arrow IPC file: the source schema unchanged, one dictionary batch per
 * dictionary (each source dictionary whole, even for zero rows), then the rows in the given
 * order in record batches of BATCH_ROWS (the last one shorter), and no record batch for zero rows.
 *
 * The bytes are exactly those apache-arrow's `tableToIPC(table, 'file')` writes for the same
 * batches (test/core/split/encode.test.ts holds it to that), but the file is sized first and each
 * value is copied once, from the source column straight to its place in the file.
 * SplitFileWriter (split-writer.ts) writes the same bytes from rows that arrive in pieces.
 */
export function encodeSplit(schema: Schema, columns: readonly FlatColumn[], rows: Uint32Array): Uint8Array {
  const dictionaries = planDictionaries(splitDictionaries(columns));
  const batches: PlannedBatch[] = [];
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    batches.push(planBatch(columns, rows.subarray(start, Math.min(start + BATCH_ROWS, rows.length))));
  }
  let at = LEAD;
  const place = (batch: PlannedBatch): FileBlock => {
    const block = new FileBlock(batch.metaLength, batch.bodyLength, at);
    at += batch.metaLength + batch.bodyLength;
    return block;
  };
  const dictionaryBlocks = dictionaries.map(place);
  const blocks = batches.map(place);
  const tail = fileTail(schema, blocks, dictionaryBlocks);

  const out = new Uint8Array(at + tail.byteLength);
  out.set(fileLead(), 0);
  dictionaries.forEach((batch, d) => {
    writeBatch(out, dictionaryBlocks[d]!.offset, batch);
  });
  batches.forEach((batch, b) => {
    writeBatch(out, blocks[b]!.offset, batch);
  });
  out.set(tail, at);
  return out;
}
