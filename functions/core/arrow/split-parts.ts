import type { Schema } from 'apache-arrow';
import type { FlatColumn } from './flat-column.js';
import { BATCH_ROWS, type EncodedBatch, encodeBatch, planBatch } from './ipc-batch.js';
import { encodeRowBlock, rowBlockSchema } from './row-block.js';
import { SplitFileWriter, type SplitFileWriterOptions } from './split-writer.js';

/**
 * The parallel form of SplitFileWriter: each shard encodes its own share of a split where its
 * rows are (a worker thread, a Map task), and one combine streams the file from the shares in
 * shard order. Batches count from the split's first row, so a shard at split position
 * `startOf` owns the batches lying wholly inside [startOf, startOf + rows); the rows before its
 * first such batch (head) and after its last (tail) share a batch with other shards and travel
 * as row blocks. The bytes equal encodeSplit; only the SHA-256 over them stays sequential.
 */

/** One shard's share of one split. */
export interface SplitPart {
  /** Position in the split of the shard's first row there (ShardedAssignment.startOf). */
  readonly startOf: number;
  /** The shard's rows in the split. */
  readonly rows: number;
  /** Row block of the rows before the first batch boundary in the range (all of them if none is). */
  readonly head: Uint8Array;
  /** The record batches lying wholly inside the range, in order, each of BATCH_ROWS rows. */
  readonly batches: readonly EncodedBatch[];
  /** Row block of the rows after the last whole batch. */
  readonly tail: Uint8Array;
}

/** How a range of split positions divides: rows before the first boundary, whole batches, the rest. */
function divide(startOf: number, rows: number): { head: number; whole: number; tail: number } {
  const head = Math.min(rows, Math.ceil(startOf / BATCH_ROWS) * BATCH_ROWS - startOf);
  const whole = Math.floor((rows - head) / BATCH_ROWS);
  return { head, whole, tail: rows - head - whole * BATCH_ROWS };
}

/**
 * Shard side: `rows` (in split order) of the shard's `columns`, the first at split position
 * `startOf`, as its head and tail row blocks and the whole batches between them.
 */
export function encodeSplitPart(
  schema: Schema,
  columns: readonly FlatColumn[],
  rows: Uint32Array,
  startOf: number,
): SplitPart {
  const { head, whole } = divide(startOf, rows.length);
  const blockSchema = rowBlockSchema(schema);
  const batches: EncodedBatch[] = [];
  for (let b = 0; b < whole; b++) {
    const from = head + b * BATCH_ROWS;
    batches.push(encodeBatch(planBatch(columns, rows.subarray(from, from + BATCH_ROWS))));
  }
  return {
    startOf,
    rows: rows.length,
    head: encodeRowBlock(blockSchema, columns, rows.subarray(0, head)),
    batches,
    tail: encodeRowBlock(blockSchema, columns, rows.subarray(head + whole * BATCH_ROWS)),
  };
}

/**
 * Combine side: the split file from its parts, added in shard order, streamed: each call
 * returns the bytes now final, so the combine holds one batch of edge rows at most. Pass the
 * dictionaries (encodeDictionaries of any shard's columns) when the schema has any: the row
 * blocks carry indices only.
 */
export class SplitPartsCombiner {
  private readonly writer: SplitFileWriter;

  constructor(schema: Schema, options: SplitFileWriterOptions = {}) {
    this.writer = new SplitFileWriter(schema, options);
  }

  /** Rows held for a batch still incomplete: always fewer than BATCH_ROWS. */
  get pendingRows(): number {
    return this.writer.pendingRows;
  }

  /** The next shard's part (parts with no rows may be left out); returns bytes now final. */
  add(part: SplitPart): Uint8Array[] {
    if (part.startOf !== this.writer.rows) {
      throw new Error(`a part starting at split row ${part.startOf} follows ${this.writer.rows} rows`);
    }
    const { head, whole, tail } = divide(part.startOf, part.rows);
    if (part.batches.length !== whole) {
      throw new Error(
        `a part of ${part.rows} rows from ${part.startOf} has ${whole} whole batches, not ${part.batches.length}`,
      );
    }
    return [
      ...this.writer.appendRowBlock(part.head, head),
      ...this.writer.appendBatches(part.batches),
      ...this.writer.appendRowBlock(part.tail, tail),
    ];
  }

  /** The rest of the file (last short batch, end marker, footer, length, magic). */
  finish(): Uint8Array[] {
    return this.writer.finish();
  }
}
