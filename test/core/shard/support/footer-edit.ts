import { CompactWriter } from '../../../../functions/core/ingest/compact-writer.js';
import { CompactReader, I32, STRUCT } from '../../../../functions/core/ingest/parquet-footer.js';

const I16 = 4;
const I64 = 6;
const LIST = 9;

/**
 * Where a value sits in the FileMetaData: field ids, with a list element's index after its
 * list's field id (so [4, 2, 1, 0, 3, 9] is row group 2, column 0, data_page_offset).
 */
export type FooterPath = readonly number[];

export interface FooterEdit {
  /** An integer field's new value (return it unchanged to keep it). */
  readonly int?: (path: FooterPath, value: number) => number;
  /** A list's new element count as its header states it (the elements stay as they are). */
  readonly count?: (path: FooterPath, count: number) => number;
}

function copyStruct(r: CompactReader, w: CompactWriter, bytes: Uint8Array, path: number[], edit: FooterEdit) {
  r.struct((id, type) => {
    const at = [...path, id];
    w.field(id, type);
    if (type === I16 || type === I32 || type === I64) {
      const value = r.int();
      w.int(edit.int?.(at, value) ?? value);
    } else if (type === STRUCT) {
      w.open();
      copyStruct(r, w, bytes, at, edit);
    } else if (type === LIST) {
      const [size, element] = r.listHeader();
      w.listHeader(edit.count?.(at, size) ?? size, element);
      for (let i = 0; i < size; i++) {
        if (element === STRUCT) {
          w.open();
          copyStruct(r, w, bytes, [...at, i], edit);
        } else {
          const from = r.position;
          r.skip(element, 1, true);
          w.raw(bytes.subarray(from, r.position));
        }
      }
    } else {
      const from = r.position;
      r.skip(type, 1);
      w.raw(bytes.subarray(from, r.position));
    }
    return true;
  });
  w.close();
}

/** The file with its FileMetaData re-encoded through `edit`; the column data is untouched. */
export function editFooter(file: Uint8Array, edit: FooterEdit): Uint8Array {
  const length = new DataView(file.buffer, file.byteOffset).getUint32(file.length - 8, true);
  const metadata = file.subarray(file.length - 8 - length, file.length - 8);
  const w = new CompactWriter(metadata.length);
  copyStruct(new CompactReader(metadata), w, metadata, [], edit);
  return withFooter(file.subarray(0, file.length - 8 - length), w.bytes());
}

/** The data part of a file followed by `metadata`, its length and "PAR1". */
export function withFooter(data: Uint8Array, metadata: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + metadata.length + 8);
  out.set(data);
  out.set(metadata, data.length);
  new DataView(out.buffer).setUint32(data.length + metadata.length, metadata.length, true);
  out.set([0x50, 0x41, 0x52, 0x31], out.length - 4);
  return out;
}

/** The file's FileMetaData bytes. */
export function metadataOf(file: Uint8Array): Uint8Array {
  const length = new DataView(file.buffer, file.byteOffset).getUint32(file.length - 8, true);
  return file.subarray(file.length - 8 - length, file.length - 8);
}
