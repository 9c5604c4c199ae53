import type { DatasetFormat } from '../../../schemas/spec.js';

const PAR1 = [0x50, 0x41, 0x52, 0x31];
const ARROW1 = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];
/** flatbuffers Message.header_type value for a Schema message. */
const MESSAGE_HEADER_SCHEMA = 1;

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((byte, i) => bytes[at + i] === byte);
}

/**
 * Reads `header_type` of the flatbuffer Message that follows an IPC continuation marker, so a CSV
 * that happens to start with 0xFFFFFFFF isn't taken for an Arrow stream.
 */
function isArrowStream(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || !startsWith(bytes, [0xff, 0xff, 0xff, 0xff])) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = 8;
  const table = base + view.getUint32(base, true);
  if (table + 4 > bytes.length) return false;
  const vtable = table - view.getInt32(table, true);
  if (vtable < base || vtable + 4 > bytes.length) return false;
  const vtableSize = view.getUint16(vtable, true);
  // header_type is the Message table's second field: vtable slot at byte 4 + 2 * 1.
  if (vtableSize < 8 || vtable + 8 > bytes.length) return false;
  const fieldOffset = view.getUint16(vtable + 6, true);
  if (fieldOffset === 0 || table + fieldOffset >= bytes.length) return false;
  return bytes[table + fieldOffset] === MESSAGE_HEADER_SCHEMA;
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
    i++;
  }
  return undefined;
}

/**
 * Guesses the format from the leading bytes (docs/SPLIT-SPEC.md, "Format sniffing"). A file that
 * starts with PAR1 is Parquet even when its trailing magic is missing: the reader then reports
 * it as truncated, which says more than a CSV parse of binary bytes would.
 */
export function sniffFormat(bytes: Uint8Array): DatasetFormat {
  if (startsWith(bytes, PAR1)) return 'parquet';
  if (startsWith(bytes, ARROW1)) return 'arrow';
  if (isArrowStream(bytes)) return 'arrow-stream';
  const first = firstNonSpace(bytes);
  if (first === 0x7b) return 'jsonl';
  if (first === 0x5b) return 'json';
  return 'csv';
}
