/**
 * Readers over JSON text that the scanner has already validated (json-skip.ts), so they trust
 * the grammar and only find boundaries. Nested inference and building walk values with them
 * one at a time instead of materializing a JS value per row.
 */

import { wellFormedText } from './well-formed.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function skipSpace(bytes: Uint8Array, p: number): number {
  while (p < bytes.length) {
    const b = bytes[p];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) break;
    p++;
  }
  return p;
}

/** The end of the string whose opening quote is at `p`, and whether it holds escapes. */
function stringEnd(bytes: Uint8Array, p: number): { end: number; escaped: boolean } {
  let escaped = false;
  p++;
  while (bytes[p] !== QUOTE) {
    if (bytes[p] === BACKSLASH) {
      escaped = true;
      p++;
    }
    p++;
  }
  return { end: p + 1, escaped };
}

/** The offset just past the value that starts at `p` (no leading space). */
export function valueEnd(bytes: Uint8Array, p: number): number {
  const b = bytes[p];
  if (b === QUOTE) return stringEnd(bytes, p).end;
  if (b === 0x7b || b === 0x5b) {
    let depth = 0;
    for (;;) {
      const c = bytes[p];
      if (c === QUOTE) {
        p = stringEnd(bytes, p).end;
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth === 0) return p + 1;
      }
      p++;
    }
  }
  while (p < bytes.length) {
    const c = bytes[p];
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    p++;
  }
  return p;
}

/** A string value's UTF-8 content: a view of the source when unescaped, else a decoded copy. */
export function stringBytes(bytes: Uint8Array, p: number): Uint8Array {
  const { end, escaped } = stringEnd(bytes, p);
  if (!escaped) return bytes.subarray(p + 1, end - 1);
  return encoder.encode(JSON.parse(decoder.decode(bytes.subarray(p, end))) as string);
}

/** A key's text, a lone surrogate escape read as U+FFFD (docs/SPLIT-SPEC.md §1.4.2). */
export function stringText(bytes: Uint8Array, p: number): string {
  const { end, escaped } = stringEnd(bytes, p);
  const raw = decoder.decode(bytes.subarray(escaped ? p : p + 1, escaped ? end : end - 1));
  return escaped ? wellFormedText(JSON.parse(raw) as string) : raw;
}

/** Calls `fn` with the start of each element of the array whose `[` is at `p`. */
export function forEachElement(bytes: Uint8Array, p: number, fn: (at: number) => void): void {
  p = skipSpace(bytes, p + 1);
  if (bytes[p] === 0x5d) return;
  for (;;) {
    fn(p);
    p = skipSpace(bytes, valueEnd(bytes, p));
    if (bytes[p] === 0x5d) return;
    p = skipSpace(bytes, p + 1);
  }
}

/**
 * The members of the object whose `{` is at `p`, as key → value start, in order of each key's
 * first appearance; a repeated key keeps its last value, as for the row objects themselves.
 * `onNewKey` runs before each distinct key is added, so a budget can stop a huge object early.
 */
export function objectMembers(bytes: Uint8Array, p: number, onNewKey?: () => void): Map<string, number> {
  const members = new Map<string, number>();
  p = skipSpace(bytes, p + 1);
  if (bytes[p] === 0x7d) return members;
  for (;;) {
    const key = stringText(bytes, p);
    p = skipSpace(bytes, stringEnd(bytes, p).end);
    p = skipSpace(bytes, p + 1);
    if (onNewKey && !members.has(key)) onNewKey();
    members.set(key, p);
    p = skipSpace(bytes, valueEnd(bytes, p));
    if (bytes[p] === 0x7d) return members;
    p = skipSpace(bytes, p + 1);
  }
}
