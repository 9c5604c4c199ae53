/**
 * Row counts and column chunk sizes from a Parquet footer (FileMetaData, Thrift compact
 * protocol). parquet-wasm exposes these only through its async reader, which cannot report a
 * panic on a corrupt file, so the few numbers presizing needs are read here instead.
 */
export interface FooterLayout {
  /** Rows in each row group, in file order. */
  readonly groupRows: readonly number[];
  /** Per leaf column, the total uncompressed size of its chunks across row groups. */
  readonly columnBytes: readonly number[];
  /** Per row group, the total uncompressed size of its column chunks. */
  readonly groupBytes: readonly number[];
  /** Per row group, per leaf column, where its pages are (see ChunkPlace). */
  readonly chunks: readonly (readonly ChunkPlace[])[];
}

/** The ColumnMetaData fields that locate a column chunk's pages in the file. */
export interface ChunkPlace {
  /** Physical type (BYTE_ARRAY is 6). */
  type: number;
  /** CompressionCodec (UNCOMPRESSED 0, SNAPPY 1, GZIP 2, ZSTD 6...). */
  codec: number;
  dataPageOffset: number;
  /** -1 when absent. */
  dictionaryPageOffset: number;
  /** Bytes of the chunk's pages, headers included. */
  compressedSize: number;
}

// Thrift compact type ids (the few another reader of this protocol needs are exported).
export const TRUE = 1;
export const FALSE = 2;
const BYTE = 3;
const I16 = 4;
export const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
export const STRUCT = 12;
/** Deeper nesting than any real footer has; bounds recursion on hostile bytes. */
const MAX_DEPTH = 64;

/** A Thrift compact protocol reader over a buffer, from its start. */
export class CompactReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Bytes read so far. */
  get position(): number {
    return this.at;
  }

  private byte(): number {
    if (this.at >= this.bytes.length) throw new Error('the Parquet footer ends mid-value');
    return this.bytes[this.at++]!;
  }

  private varint(): number {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      if (scale > 2 ** 63) throw new Error('the Parquet footer has an overlong varint');
    }
  }

  /** A zigzag-encoded integer (i16, i32 or i64); exact up to 2^53, which row counts stay under. */
  int(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  private skipBytes(n: number): void {
    if (n < 0 || this.at + n > this.bytes.length) throw new Error('the Parquet footer ends mid-value');
    this.at += n;
  }

  /** [element count, element type] of a list or set. */
  listHeader(): [number, number] {
    const h = this.byte();
    const size = h >> 4 === 15 ? this.varint() : h >> 4;
    return [size, h & 15];
  }

  /** Calls `field` per field; a field it does not consume (returns false) is skipped. */
  struct(field: (id: number, type: number) => boolean, depth = 0): void {
    if (depth > MAX_DEPTH) throw new Error('the Parquet footer nests too deeply');
    let id = 0;
    // A type nibble of 0 is STOP whatever the delta nibble, as Rust's reader (which parquet-wasm
    // decodes with) takes it; requiring the whole byte to be 0 would refuse files it reads.
    for (let h = this.byte(); (h & 15) !== 0; h = this.byte()) {
      const type = h & 15;
      id = h >> 4 === 0 ? this.int() : id + (h >> 4);
      if (!field(id, type)) this.skip(type, depth + 1);
    }
  }

  skip(type: number, depth: number, inList = false): void {
    switch (type) {
      case TRUE:
      case FALSE:
        // A boolean field keeps its value in the type id; a list element takes a byte.
        if (inList) this.byte();
        return;
      case BYTE:
        this.byte();
        return;
      case I16:
      case I32:
      case I64:
        this.varint();
        return;
      case DOUBLE:
        this.skipBytes(8);
        return;
      case BINARY:
        this.skipBytes(this.varint());
        return;
      case LIST:
      case SET: {
        const [size, element] = this.listHeader();
        for (let i = 0; i < size; i++) this.skip(element, depth + 1, true);
        return;
      }
      case MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4, depth + 1, true);
          this.skip(kv & 15, depth + 1, true);
        }
        return;
      }
      case STRUCT:
        this.struct(() => false, depth);
        return;
      default:
        throw new Error(`the Parquet footer has an unknown Thrift type ${type}`);
    }
  }

  /** Elements of a list of structs, each read by `element`. */
  structList(element: () => void): void {
    const [size, type] = this.listHeader();
    if (type !== STRUCT) throw new Error('the Parquet footer has a list of the wrong type');
    for (let i = 0; i < size; i++) element();
  }
}

/** Reads the layout from the FileMetaData bytes (the footer without its length and magic). */
export function readFooterLayout(metadata: Uint8Array): FooterLayout {
  const r = new CompactReader(metadata);
  const groupRows: number[] = [];
  const columnBytes: number[] = [];
  const groupBytes: number[] = [];
  const chunks: ChunkPlace[][] = [];
  // FileMetaData.row_groups (4) -> RowGroup.columns (1), .num_rows (3) -> ColumnChunk.meta_data
  // (3) -> ColumnMetaData.total_uncompressed_size (6).
  r.struct((id, type) => {
    if (id !== 4 || type !== LIST) return false;
    r.structList(() => {
      let rows = 0;
      let bytes = 0;
      const places: ChunkPlace[] = [];
      r.struct((groupField, groupType) => {
        if (groupField === 3 && groupType === I64) {
          rows = r.int();
          return true;
        }
        if (groupField !== 1 || groupType !== LIST) return false;
        let column = 0;
        r.structList(() => {
          const place = {
            type: -1,
            codec: 0,
            dataPageOffset: -1,
            dictionaryPageOffset: -1,
            compressedSize: 0,
          };
          r.struct((chunkField, chunkType) => {
            if (chunkField !== 3 || chunkType !== STRUCT) return false;
            // ColumnMetaData: type (1), codec (4), total_uncompressed_size (6),
            // total_compressed_size (7), data_page_offset (9), dictionary_page_offset (11).
            r.struct((metaField, metaType) => {
              const integer = metaType === I32 || metaType === I64;
              if (!integer || ![1, 4, 6, 7, 9, 11].includes(metaField)) return false;
              const value = r.int();
              if (metaField === 1) place.type = value;
              else if (metaField === 4) place.codec = value;
              else if (metaField === 7) place.compressedSize = value;
              else if (metaField === 9) place.dataPageOffset = value;
              else if (metaField === 11) place.dictionaryPageOffset = value;
              else {
                columnBytes[column] = (columnBytes[column] ?? 0) + value;
                bytes += value;
              }
              return true;
            });
            return true;
          });
          places.push(place);
          column++;
        });
        return true;
      });
      groupRows.push(rows);
      groupBytes.push(bytes);
      chunks.push(places);
    });
    return true;
  });
  return { groupRows, columnBytes, groupBytes, chunks };
}
