import type { Schema } from 'apache-arrow';
import { splitDictionaries } from './encode-dictionary.js';
import type { FlatColumn } from './flat-column.js';
import {
  BATCH_ROWS,
  type EncodedBatch,
  encodeBatch,
  FileBlock,
  fileLead,
  fileTail,
  LEAD,
  planBatch,
  planDictionaries,
} from './ipc-batch.js';
import { allRows, encodeRowBlock, readRowBlocks, rowBlockSchema } from './row-block.js';

/** The dictionary batches a split file starts with, from any columns that carry the dictionaries (any shard's). */
export function encodeDictionaries(columns: readonly FlatColumn[]): EncodedBatch[] {
  return planDictionaries(splitDictionaries(columns)).map((batch) => encodeBatch(batch));
}

export interface SplitFileWriterOptions {
  /**
   * The file's dictionary batches (`encodeDictionaries` of any shard's columns). Needed when
   * the schema has dictionary columns and the first append may not carry them: no append at
   * all, or rows that arrive as row blocks (split-parts.ts).
   * @default encoded from the first append's columns
   */
  readonly dictionaries?: readonly EncodedBatch[];
}

/** Held blocks up to this many rows are merged (see hold). */
const MERGE_ROWS = BATCH_ROWS / 16;

interface HeldBlock {
  readonly bytes: Uint8Array;
  readonly rows: number;
}

/**
 * Writes one split file incrementally: the concatenated chunks equal
 * `encodeSplit(schema, allColumns, allRows)` however the rows arrive. Batches of BATCH_ROWS
 * count from the split's first row, so a batch may take rows from several appends; the rows of
 * a batch not yet complete are copied out of the caller's columns (as row blocks), never more
 * than BATCH_ROWS − 1 of them, so the caller may drop its columns as soon as `append` returns.
 */
export class SplitFileWriter {
  private readonly blockSchema: Schema;
  private dictionaries: readonly EncodedBatch[] | undefined;
  private started = false;
  private finished = false;
  /** File offset of the next byte handed out. */
  private at = 0;
  private readonly dictionaryBlocks: FileBlock[] = [];
  private readonly recordBlocks: FileBlock[] = [];
  /** Rows of the incomplete batch, oldest first (blocks under MERGE_ROWS in non-increasing size). */
  private held: HeldBlock[] = [];
  private heldRows = 0;
  private writtenRows = 0;

  constructor(
    private readonly schema: Schema,
    options: SplitFileWriterOptions = {},
  ) {
    this.blockSchema = rowBlockSchema(schema);
    this.dictionaries = options.dictionaries;
  }

  /** Rows held for the incomplete batch: always fewer than BATCH_ROWS. */
  get pendingRows(): number {
    return this.heldRows;
  }

  /** Rows appended so far (written or held). */
  get rows(): number {
    return this.writtenRows + this.heldRows;
  }

  /** Rows `rows` (in this order) of these columns, appended to the split; returns bytes now final. */
  append(columns: readonly FlatColumn[], rows: Uint32Array): Uint8Array[] {
    const out = this.start(columns);
    let i = 0;
    if (this.heldRows > 0) {
      const need = BATCH_ROWS - this.heldRows;
      if (rows.length < need) {
        this.hold(columns, rows);
        return out;
      }
      out.push(this.flushHeld(columns, rows.subarray(0, need)));
      i = need;
    }
    for (; rows.length - i >= BATCH_ROWS; i += BATCH_ROWS) {
      out.push(this.emit(encodeBatch(planBatch(columns, rows.subarray(i, i + BATCH_ROWS)))));
    }
    this.hold(columns, rows.subarray(i));
    return out;
  }

  /**
   * Whole record batches of BATCH_ROWS rows encoded elsewhere (split-parts.ts), appended where
   * a batch starts: refused while rows of an incomplete batch are held.
   */
  appendBatches(batches: readonly EncodedBatch[]): Uint8Array[] {
    if (batches.length > 0 && this.heldRows > 0)
      throw new Error(`whole batches can't follow ${this.heldRows} held rows`);
    const out = this.start(undefined);
    for (const batch of batches) out.push(this.emit(batch));
    return out;
  }

  /**
   * `rows` rows already held as a row block (an edge of encodeSplitPart, split-parts.ts),
   * appended without decoding it unless it crosses a batch boundary.
   */
  appendRowBlock(block: Uint8Array, rows: number): Uint8Array[] {
    const out = this.start(undefined);
    if (rows === 0) return out;
    if (this.heldRows + rows < BATCH_ROWS) {
      this.push({ bytes: block, rows });
      return out;
    }
    if (this.heldRows + rows === BATCH_ROWS) {
      this.held.push({ bytes: block, rows });
      this.heldRows = BATCH_ROWS;
      return [...out, this.flushHeld()];
    }
    const read = readRowBlocks([block]);
    return [...out, ...this.append(read.columns, allRows(read.rows))];
  }

  /** The rest of the file (last short batch, end marker, footer, length, magic). */
  finish(): Uint8Array[] {
    const out = this.start(undefined);
    if (this.heldRows > 0) out.push(this.flushHeld());
    out.push(fileTail(this.schema, this.recordBlocks, this.dictionaryBlocks));
    this.finished = true;
    return out;
  }

  /** The lead and the dictionary batches, on the first call. */
  private start(columns: readonly FlatColumn[] | undefined): Uint8Array[] {
    if (this.finished) throw new Error('the split file is already finished');
    if (this.started) return [];
    const dictionaries = this.dictionaries ?? (columns ? encodeDictionaries(columns) : []);
    if (dictionaries.length !== this.schema.dictionaries.size) {
      throw new Error(
        `the schema names ${this.schema.dictionaries.size} dictionaries but ${dictionaries.length} were given: pass them as the dictionaries option`,
      );
    }
    this.started = true;
    this.dictionaries = undefined;
    this.at = LEAD;
    const out = [fileLead()];
    for (const batch of dictionaries) {
      this.dictionaryBlocks.push(this.place(batch));
      out.push(batch.bytes);
    }
    return out;
  }

  private place(batch: EncodedBatch): FileBlock {
    const block = new FileBlock(batch.metaLength, batch.bodyLength, this.at);
    this.at += batch.bytes.byteLength;
    return block;
  }

  private emit(batch: EncodedBatch, rows = BATCH_ROWS): Uint8Array {
    this.recordBlocks.push(this.place(batch));
    this.writtenRows += rows;
    return batch.bytes;
  }

  private hold(columns: readonly FlatColumn[], rows: Uint32Array): void {
    if (rows.length > 0)
      this.push({ bytes: encodeRowBlock(this.blockSchema, columns, rows), rows: rows.length });
  }

  private push(block: HeldBlock): void {
    this.held.push(block);
    this.heldRows += block.rows;
    // Small blocks merge into their predecessor once as large (as a binary counter does), so
    // rows that arrive a few at a time leave O(log n) blocks, each row copied O(log n) times;
    // blocks past MERGE_ROWS are never merged (at most BATCH_ROWS / MERGE_ROWS * 2 of them), so
    // shards of thousands of rows cost no copy beyond the block and the batch.
    while (
      this.held.length > 1 &&
      this.held.at(-1)!.rows >= this.held.at(-2)!.rows &&
      this.held.at(-1)!.rows + this.held.at(-2)!.rows <= MERGE_ROWS
    ) {
      const last = this.held.splice(-2);
      const { columns: joined, rows: n } = readRowBlocks(last.map((b) => b.bytes));
      this.held.push({ bytes: encodeRowBlock(this.blockSchema, joined, allRows(n)), rows: n });
    }
  }

  /** The held rows, then `rows` of `columns`, as one record batch. */
  private flushHeld(columns?: readonly FlatColumn[], rows?: Uint32Array): Uint8Array {
    const blocks = this.held.map((b) => b.bytes);
    if (columns && rows && rows.length > 0) blocks.push(encodeRowBlock(this.blockSchema, columns, rows));
    const { columns: joined, rows: n } = readRowBlocks(blocks);
    this.held = [];
    this.heldRows = 0;
    return this.emit(encodeBatch(planBatch(joined, allRows(n))), n);
  }
}
