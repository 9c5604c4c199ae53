/**
 * The one text file that a list of CSV, JSON Lines or JSON parts stands for (docs/SPLIT-SPEC.md
 * §7.3). Ingest types the join exactly as it would type that file, so a CSV cut into parts
 * gets the columns and types of the whole.
 */
import { concatBytes } from '../concat-bytes.js';
import type { DatasetError } from '../errors.js';
import { bomLength } from './utf8.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const LF_BYTES = Uint8Array.of(LF);

/**
 * What goes between a part and the next so that the part's last line ends where it ended:
 * nothing after LF, LF after a CR (a last CR ends a line; CR LF still does), else LF.
 */
function lineEnd(part: Uint8Array): Uint8Array[] {
  return part[part.length - 1] === LF ? [] : [LF_BYTES];
}

/** JSON Lines: the parts one after the other, each ending its last line; later BOMs dropped. */
export function joinJsonl(parts: readonly Uint8Array[]): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (const [index, part] of parts.entries()) {
    if (index > 0) pieces.push(...lineEnd(parts[index - 1]!));
    pieces.push(index === 0 ? part : part.subarray(bomLength(part)));
  }
  return concatBytes(pieces);
}

/**
 * CSV: the first part whole, then each later part from its first data row (its BOM, leading
 * empty lines and header row dropped). Every part has already been read alone, so each header
 * is well formed and the same as the first.
 */
export function joinCsv(parts: readonly Uint8Array[], delimiter: string): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (const [index, part] of parts.entries()) {
    if (index === 0) {
      pieces.push(part);
      continue;
    }
    pieces.push(...lineEnd(parts[index - 1]!));
    pieces.push(part.subarray(afterHeader(part, delimiter.charCodeAt(0))));
  }
  return concatBytes(pieces);
}

/** The offset just past the header row's line break (or the end, for a header-only part). */
function afterHeader(bytes: Uint8Array, delimiter: number): number {
  let p = bomLength(bytes);
  // Lines with no bytes at all come before the header and are skipped.
  while (bytes[p] === LF || (bytes[p] === CR && (bytes[p + 1] === LF || p + 1 === bytes.length))) {
    p += bytes[p] === CR ? 2 : 1;
  }
  let cellStart = true;
  while (p < bytes.length) {
    const byte = bytes[p]!;
    if (cellStart && byte === QUOTE) {
      // A quoted cell runs to the next quote that is not doubled.
      p++;
      while (p < bytes.length && !(bytes[p] === QUOTE && bytes[p + 1] !== QUOTE)) {
        p += bytes[p] === QUOTE ? 2 : 1;
      }
      p++;
      cellStart = false;
      continue;
    }
    if (byte === LF) return p + 1;
    if (byte === CR && (bytes[p + 1] === LF || p + 1 === bytes.length)) return Math.min(p + 2, bytes.length);
    cellStart = byte === delimiter;
    p++;
  }
  return p;
}

const JSON_SPACE = new Set([0x20, 0x09, LF, CR]);

/**
 * JSON: one array holding every part's elements in order. Each part must be one array
 * (`notArray(index)` refuses it otherwise); an empty array adds nothing.
 */
export function joinJson(
  parts: readonly Uint8Array[],
  notArray: (index: number) => DatasetError,
): Uint8Array {
  const pieces: Uint8Array[] = [Uint8Array.of(0x5b)];
  let first = true;
  for (const [index, part] of parts.entries()) {
    let start = bomLength(part);
    let end = part.length;
    while (start < end && JSON_SPACE.has(part[start]!)) start++;
    while (end > start && JSON_SPACE.has(part[end - 1]!)) end--;
    if (end - start < 2 || part[start] !== 0x5b || part[end - 1] !== 0x5d) throw notArray(index);
    const inner = part.subarray(start + 1, end - 1);
    if (inner.every((byte) => JSON_SPACE.has(byte))) continue;
    if (!first) pieces.push(Uint8Array.of(0x2c));
    pieces.push(inner);
    first = false;
  }
  pieces.push(Uint8Array.of(0x5d));
  return concatBytes(pieces);
}
