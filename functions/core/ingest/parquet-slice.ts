import { CompactWriter } from './compact-writer.js';
import { MAX_ROW_GROUPS } from './limits.js';
import { CompactReader, I32, readFooterLayout, STRUCT } from './parquet-footer.js';

const I64 = 6;
const LIST = 9;
const PAR1 = Uint8Array.of(0x50, 0x41, 0x52, 0x31);

/** Row groups [from, to) of a file: what a shard of it reads (functions/core/shard). */
export interface GroupRange {
  readonly from: number;
  readonly to: number;
}

/** Bytes [start, end) of the source file, copied to `at` in the slice. */
export interface SlicePiece {
  readonly start: number;
  readonly end: number;
  readonly at: number;
}

/**
 * A Parquet file made of some row groups of another: `PAR1`, the pieces (the groups' column
 * chunks, in their file order, back to back), then `tail` (the rewritten FileMetaData, its
 * length and `PAR1`). `size` is the whole slice's.
 */
export interface ParquetSlice {
  readonly pieces: readonly SlicePiece[];
  readonly tail: Uint8Array;
  readonly size: number;
}

/** A column chunk's bytes in the source file and how far the slice moves them. */
interface Chunk {
  readonly start: number;
  readonly end: number;
  delta: number;
}

function refuse(why: string): Error {
  return new Error(`the Parquet footer can't be sliced: ${why}`);
}

/** Each picked chunk's byte range, checked against the data region and each other. */
function chunkRanges(
  metadata: Uint8Array,
  { from, to }: GroupRange,
  dataEnd: number,
): { groups: Chunk[][]; rows: number } {
  const layout = readFooterLayout(metadata);
  const count = layout.groupRows.length;
  // Past this many, whole-file ingest refuses the file: leave that refusal to it.
  if (count > MAX_ROW_GROUPS) throw refuse(`${count} row groups`);
  if (!(from >= 0 && from < to && to <= count)) throw refuse(`no row groups [${from}, ${to})`);
  const groups = layout.chunks.slice(from, to).map((places) =>
    places.map((p) => {
      const dictionary = p.dictionaryPageOffset;
      const start = dictionary >= 0 ? Math.min(dictionary, p.dataPageOffset) : p.dataPageOffset;
      const end = start + p.compressedSize;
      const inside = (offset: number) => offset >= start && offset < end;
      if (!(start >= PAR1.length && p.compressedSize > 0 && end <= dataEnd))
        throw refuse(`a column chunk at [${start}, ${end}) outside the data [4, ${dataEnd})`);
      if (!inside(p.dataPageOffset) || (dictionary >= 0 && !inside(dictionary)))
        throw refuse('a page offset outside its column chunk');
      return { start, end, delta: 0 };
    }),
  );
  if (groups.some((places) => places.length === 0)) throw refuse('a row group without columns');
  return { groups, rows: layout.groupRows.slice(from, to).reduce((a, b) => a + b, 0) };
}

/** Places the chunks back to back after `PAR1`, in file order, and the reads that fill them. */
function placeChunks(groups: readonly Chunk[][]): { pieces: SlicePiece[]; end: number } {
  const sorted = groups.flat().sort((a, b) => a.start - b.start);
  const pieces: { start: number; end: number; at: number }[] = [];
  let at = PAR1.length;
  for (const [i, chunk] of sorted.entries()) {
    const previous = sorted[i - 1];
    if (previous && chunk.start < previous.end) throw refuse('overlapping column chunks');
    chunk.delta = at - chunk.start;
    const last = pieces[pieces.length - 1];
    if (last && last.end === chunk.start) last.end = chunk.end;
    else pieces.push({ start: chunk.start, end: chunk.end, at });
    at += chunk.end - chunk.start;
  }
  return { pieces, end: at };
}

/**
 * Copies a FileMetaData, field by field, keeping only the picked row groups and moving every
 * absolute file offset in them by its chunk's delta; all else is copied as it is, byte for byte.
 */
class FooterCopier {
  private readonly r: CompactReader;
  readonly w: CompactWriter;
  private sawGroups = false;

  constructor(
    private readonly metadata: Uint8Array,
    private readonly range: GroupRange,
    private readonly groups: readonly Chunk[][],
    private readonly rows: number,
  ) {
    this.r = new CompactReader(metadata);
    this.w = new CompactWriter(metadata.length);
  }

  /** The value at the reader, written unchanged under its field header. */
  private copy(id: number, type: number): void {
    this.w.field(id, type);
    const from = this.r.position;
    this.r.skip(type, 1);
    this.w.raw(this.metadata.subarray(from, this.r.position));
  }

  /** An integer field moved by `delta`; the slice's offsets are never below 0. */
  private rebase(id: number, type: number, delta: number): void {
    if (type !== I32 && type !== I64) throw refuse(`field ${id} is not an integer`);
    this.w.field(id, type);
    this.w.int(Math.max(0, this.r.int() + delta));
  }

  /** A struct field, its fields copied by `field` (which returns false to copy one as it is). */
  private struct(id: number, type: number, field: (id: number, type: number) => boolean): void {
    if (type !== STRUCT) throw refuse(`field ${id} is not a struct`);
    this.w.field(id, type);
    this.w.open();
    this.r.struct((inner, innerType) => {
      if (!field(inner, innerType)) this.copy(inner, innerType);
      return true;
    });
    this.w.close();
  }

  fileMetaData(): Uint8Array {
    this.r.struct((id, type) => {
      if (id === 3 && type === I64) {
        this.r.int();
        this.w.field(3, I64);
        this.w.int(this.rows);
      } else if (id === 4) this.rowGroups(type);
      else if (id === 8 || id === 9) throw refuse('the file is encrypted');
      else this.copy(id, type);
      return true;
    });
    this.w.close();
    return this.w.bytes();
  }

  private rowGroups(type: number): void {
    // The layout read every row_groups list into one; a second would be numbered apart here.
    if (this.sawGroups) throw refuse('two row_groups lists');
    this.sawGroups = true;
    if (type !== LIST) throw refuse('row_groups is not a list');
    const [size, element] = this.r.listHeader();
    if (element !== STRUCT) throw refuse('row_groups is not a list of structs');
    this.w.field(4, LIST);
    this.w.listHeader(this.range.to - this.range.from, STRUCT);
    for (let g = 0; g < size; g++) {
      if (g < this.range.from || g >= this.range.to) this.r.skip(STRUCT, 1);
      else this.rowGroup(this.groups[g - this.range.from]!);
    }
  }

  private rowGroup(chunks: readonly Chunk[]): void {
    let sawColumns = false;
    this.w.open();
    this.r.struct((id, type) => {
      // RowGroup.file_offset (5) is its first column chunk's.
      if (id === 5) this.rebase(id, type, chunks[0]!.delta);
      else if (id === 1 && type === LIST) {
        if (sawColumns) throw refuse('two columns lists in a row group');
        sawColumns = true;
        const [size, element] = this.r.listHeader();
        this.w.field(1, LIST);
        this.w.listHeader(size, element);
        for (let c = 0; c < size; c++) this.columnChunk(chunks[c]!);
      } else this.copy(id, type);
      return true;
    });
    this.w.close();
  }

  private columnChunk(chunk: Chunk): void {
    this.w.open();
    this.r.struct((id, type) => {
      // file_path (1) puts the chunk in another file; crypto (8, 9) can't be rebased unread.
      if (id === 1 || id === 8 || id === 9) throw refuse(`column chunk field ${id}`);
      if (id === 2) this.rebase(id, type, chunk.delta);
      else if (id === 3)
        this.struct(id, type, (inner, innerType) => this.columnMetaData(inner, innerType, chunk));
      // The page indexes (4-7) lie outside the chunks, so the slice goes without them.
      else if (id >= 4 && id <= 7) this.r.skip(type, 1);
      else this.copy(id, type);
      return true;
    });
    this.w.close();
  }

  /** ColumnMetaData's page offsets (9, 10, 11) move; its Bloom filter's (14, 15) is dropped. */
  private columnMetaData(id: number, type: number, chunk: Chunk): boolean {
    if (id === 9 || id === 10 || id === 11) this.rebase(id, type, chunk.delta);
    else if (id === 14 || id === 15) this.r.skip(type, 1);
    else return false;
    return true;
  }
}

/**
 * Plans a Parquet file of row groups [from, to) of another, from that file's FileMetaData
 * (`metadata`, the footer without its length and magic) and where its data ends (the footer's
 * start): which byte ranges to copy where, and the new footer. The new FileMetaData is the old
 * one with only those row groups, num_rows their rows, and every absolute offset in them
 * (column chunk, page, row group) moved to the slice; page indexes and Bloom filters, which
 * lie outside the chunks, are left out. Throws on a footer it can't slice faithfully (chunks
 * outside the data or overlapping, a chunk in another file, encryption), for the caller to
 * read the file whole instead.
 */
export function sliceParquet(metadata: Uint8Array, range: GroupRange, dataEnd: number): ParquetSlice {
  const { groups, rows } = chunkRanges(metadata, range, dataEnd);
  const { pieces, end } = placeChunks(groups);
  const footer = new FooterCopier(metadata, range, groups, rows).fileMetaData();
  const tail = new Uint8Array(footer.length + 8);
  tail.set(footer);
  new DataView(tail.buffer).setUint32(footer.length, footer.length, true);
  tail.set(PAR1, footer.length + 4);
  return { pieces, tail, size: end + tail.length };
}

/** The slice's bytes, from the source pieces read in order (`read(start, end)`). */
export async function assembleSlice(
  slice: ParquetSlice,
  read: (start: number, end: number) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const out = new Uint8Array(slice.size);
  out.set(PAR1);
  for (const piece of slice.pieces) out.set(await read(piece.start, piece.end), piece.at);
  out.set(slice.tail, slice.size - slice.tail.length);
  return out;
}
