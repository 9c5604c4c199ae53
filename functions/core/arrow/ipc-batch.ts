import { MetadataVersion, type Schema } from 'apache-arrow';
import { FileBlock, Footer } from 'apache-arrow/ipc/metadata/file';
import {
  BufferRegion,
  DictionaryBatch,
  FieldNode,
  Message,
  RecordBatch,
} from 'apache-arrow/ipc/metadata/message';
import type { DictionaryMessage } from './encode-dictionary.js';
import type { FlatColumn } from './flat-column.js';
import { type ColumnLayout, gatherColumn, measureColumn } from './take.js';

/**
 * The pieces of a split file (SPLIT-SPEC.md §3.1): the lead, one message per batch, and the
 * tail (end marker, footer, its length, magic). encodeSplit lays them into one buffer;
 * SplitFileWriter hands them out one by one. Both plan and write a batch here, so the bytes
 * cannot drift apart.
 */

/** Rows per record batch in split files: fixed so that the same rows give the same bytes. */
export const BATCH_ROWS = 65_536;

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
/** Magic plus two bytes of padding, so the first message starts 8-byte aligned. */
export const LEAD = 8;
/** Continuation marker (0xFFFFFFFF) and metadata length before every message. */
const PREFIX = 8;

/** Rounds up to a multiple of 8 in arithmetic, not bit operations: buffers may pass 2^31 bytes. */
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** One record batch or dictionary batch, sized and with its header encoded, before any byte of the file exists. */
export interface PlannedBatch {
  readonly columns: readonly FlatColumn[];
  readonly rows: Uint32Array;
  readonly layouts: readonly ColumnLayout[];
  /** The encoded Message flatbuffer. */
  readonly header: Uint8Array;
  /** Continuation marker, length word, flatbuffer and padding: a multiple of 8. */
  readonly metaLength: number;
  readonly bodyLength: number;
}

/** A batch message already written: its bytes, and the sizes its footer block records. */
export interface EncodedBatch {
  /** metaLength + bodyLength bytes: marker, length, flatbuffer, padding, body. */
  readonly bytes: Uint8Array;
  readonly metaLength: number;
  readonly bodyLength: number;
}

/** Layouts in IPC order: each column's node and buffers, then its children's, depth first. */
function preorder(layouts: readonly ColumnLayout[]): ColumnLayout[] {
  return layouts.flatMap((l) => [l, ...preorder(l.children ?? [])]);
}

/** Sizes the batch of `rows` of `columns` (a dictionary batch when `dictionary` is given). */
export function planBatch(
  columns: readonly FlatColumn[],
  rows: Uint32Array,
  dictionary?: DictionaryMessage,
): PlannedBatch {
  const layouts = columns.map((col) => measureColumn(col, rows));
  const all = preorder(layouts);
  const nodes = all.map((l) => new FieldNode(l.length, l.nullCount));
  const regions: BufferRegion[] = [];
  let bodyLength = 0;
  for (const layout of all) {
    for (const size of layout.buffers) {
      regions.push(new BufferRegion(bodyLength, align8(size)));
      bodyLength += align8(size);
    }
  }
  const batch = new RecordBatch(rows.length, nodes, regions, null);
  const body = dictionary ? new DictionaryBatch(batch, dictionary.id, false) : batch;
  const header = Message.encode(Message.from(body, bodyLength));
  return { columns, rows, layouts, header, metaLength: align8(header.byteLength + PREFIX), bodyLength };
}

/**
 * Writes a planned batch at `at` of `out` (zero-filled, 8-byte aligned there). `exact` keeps a
 * bool column's bits even when the whole batch is null (the file rule zeroes them), for
 * intermediate row blocks that must keep every source bit for a later batch.
 */
export function writeBatch(out: Uint8Array, at: number, batch: PlannedBatch, exact = false): void {
  const view = new DataView(out.buffer, out.byteOffset);
  view.setInt32(at, -1, true);
  view.setInt32(at + 4, batch.metaLength - PREFIX, true);
  out.set(batch.header, at + PREFIX);
  let body = at + batch.metaLength;
  batch.layouts.forEach((layout, c) => {
    const targets = preorder([layout]).flatMap((l) =>
      l.buffers.map((size) => {
        const target = out.subarray(body, body + size);
        body += align8(size);
        return target;
      }),
    );
    gatherColumn(batch.columns[c]!, batch.rows, layout, targets, exact);
  });
}

/** A planned batch as its own bytes. */
export function encodeBatch(batch: PlannedBatch, exact = false): EncodedBatch {
  const bytes = new Uint8Array(batch.metaLength + batch.bodyLength);
  writeBatch(bytes, 0, batch, exact);
  return { bytes, metaLength: batch.metaLength, bodyLength: batch.bodyLength };
}

/** The dictionary batches a split file of `columns` starts with (SPLIT-SPEC.md §6.3), in file order. */
export function planDictionaries(dictionaries: readonly DictionaryMessage[]): PlannedBatch[] {
  return dictionaries.map((d) => planBatch([d.values], d.entries, d));
}

/** `ARROW1` and two zero bytes: what precedes the first message. */
export function fileLead(): Uint8Array {
  const lead = new Uint8Array(LEAD);
  lead.set(MAGIC, 0);
  return lead;
}

/** Where each message sits: blocks are `[offset, metaLength, bodyLength]` from the file start. */
export function fileTail(
  schema: Schema,
  recordBatches: readonly FileBlock[],
  dictionaries: readonly FileBlock[],
): Uint8Array {
  const footer = Footer.encode(new Footer(schema, MetadataVersion.V5, [...recordBatches], [...dictionaries]));
  // End-of-stream marker for sequential readers, then the footer, its length and the magic.
  const tail = new Uint8Array(PREFIX + footer.byteLength + 4 + MAGIC.length);
  const view = new DataView(tail.buffer);
  view.setInt32(0, -1, true);
  tail.set(footer, PREFIX);
  view.setInt32(PREFIX + footer.byteLength, footer.byteLength, true);
  tail.set(MAGIC, tail.length - MAGIC.length);
  return tail;
}

export { FileBlock };
