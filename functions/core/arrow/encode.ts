import { MetadataVersion, type Schema } from 'apache-arrow';
import { FileBlock, Footer } from 'apache-arrow/ipc/metadata/file';
import {
  BufferRegion,
  DictionaryBatch,
  FieldNode,
  Message,
  RecordBatch,
} from 'apache-arrow/ipc/metadata/message';
import { type DictionaryMessage, splitDictionaries } from './encode-dictionary.js';
import type { FlatColumn } from './flat-column.js';
import { type ColumnLayout, gatherColumn, measureColumn } from './take.js';

/** Rows per record batch in split files: fixed so that the same rows give the same bytes. */
export const BATCH_ROWS = 65_536;

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
/** Magic plus two bytes of padding, so the first message starts 8-byte aligned. */
const LEAD = 8;
/** Continuation marker (0xFFFFFFFF) and metadata length before every message. */
const PREFIX = 8;

/** Rounds up to a multiple of 8 in arithmetic, not bit operations: buffers may pass 2^31 bytes. */
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** One record batch or dictionary batch, sized and with its header encoded, before any byte of the file exists. */
interface PlannedBatch {
  readonly columns: readonly FlatColumn[];
  readonly rows: Uint32Array;
  readonly layouts: readonly ColumnLayout[];
  /** The encoded Message flatbuffer. */
  readonly header: Uint8Array;
  /** Continuation marker, length word, flatbuffer and padding: a multiple of 8. */
  readonly metaLength: number;
  readonly bodyLength: number;
}

/** Layouts in IPC order: each column's node and buffers, then its children's, depth first. */
function preorder(layouts: readonly ColumnLayout[]): ColumnLayout[] {
  return layouts.flatMap((l) => [l, ...preorder(l.children ?? [])]);
}

function planBatch(
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

function writeMessagePrefix(view: DataView, at: number, metaLength: number): void {
  view.setInt32(at, -1, true);
  view.setInt32(at + 4, metaLength - PREFIX, true);
}

/**
 * One split as an Arrow IPC file: the source schema unchanged, one dictionary batch per
 * dictionary (each source dictionary whole, even for zero rows), then the rows in the given
 * order in record batches of BATCH_ROWS (the last one shorter), and no record batch for zero rows.
 *
 * The bytes are exactly those apache-arrow's `tableToIPC(table, 'file')` writes for the same
 * batches (test/core/split/encode.test.ts holds it to that), but the file is sized first and each
 * value is copied once, from the source column straight to its place in the file.
 */
export function encodeSplit(schema: Schema, columns: readonly FlatColumn[], rows: Uint32Array): Uint8Array {
  const dictionaries = splitDictionaries(columns).map((d) => planBatch([d.values], d.entries, d));
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
  const footer = Footer.encode(new Footer(schema, MetadataVersion.V5, blocks, dictionaryBlocks));
  const total = at + PREFIX + footer.byteLength + 4 + MAGIC.length;

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  const write = (batch: PlannedBatch, block: FileBlock) => {
    const start = block.offset;
    writeMessagePrefix(view, start, batch.metaLength);
    out.set(batch.header, start + PREFIX);
    let body = start + batch.metaLength;
    batch.layouts.forEach((layout, c) => {
      const targets = preorder([layout]).flatMap((l) =>
        l.buffers.map((size) => {
          const target = out.subarray(body, body + size);
          body += align8(size);
          return target;
        }),
      );
      gatherColumn(batch.columns[c]!, batch.rows, layout, targets);
    });
  };
  dictionaries.forEach((batch, d) => {
    write(batch, dictionaryBlocks[d]!);
  });
  batches.forEach((batch, b) => {
    write(batch, blocks[b]!);
  });
  // End-of-stream marker for sequential readers, then the footer, its length and the magic.
  view.setInt32(at, -1, true);
  view.setInt32(at + 4, 0, true);
  out.set(footer, at + PREFIX);
  view.setInt32(at + PREFIX + footer.byteLength, footer.byteLength, true);
  out.set(MAGIC, total - MAGIC.length);
  return out;
}
