import { isJsonNumber } from './number-grammar.js';

/**
 * Deepest nesting a JSON Lines or JSON value may have: the row object is depth 0, a column's
 * object or array value depth 1. Inference and building recurse once per level, so the bound
 * keeps them far from the stack limit; no real dataset nests this deep.
 */
export const MAX_NESTING_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const HEX = /^[0-9a-fA-F]{4}$/;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}

function isTokenEnd(b: number | undefined): boolean {
  return b === 0x2c || b === CLOSE_OBJECT || b === CLOSE_ARRAY || isSpace(b);
}

/** How a skip failed: a syntax error, or nesting past MAX_NESTING_DEPTH, at byte `at`. */
export interface SkipFailure {
  readonly kind: 'syntax' | 'depth';
  readonly why: string;
  readonly at: number;
}

/**
 * Validates one JSON object or array at `bytes[p]` (RFC 8259) without building it and returns
 * the offset just past it, or a SkipFailure. Iterative with an explicit stack of at most
 * `stack.length` levels (the caller's, reused across values), so a hostile input can neither
 * recurse nor allocate past that bound.
 */
export function skipNested(
  bytes: Uint8Array,
  p: number,
  end: number,
  stack: Uint8Array,
): number | SkipFailure {
  const maxDepth = stack.length;
  let depth = 0;
  const fail = (why: string, at = p): SkipFailure => ({ kind: 'syntax', why, at });
  const skipSpace = () => {
    while (p < end && isSpace(bytes[p])) p++;
  };
  /** Scans a string at p (its opening quote); false when it is malformed. */
  const string = (): boolean => {
    p++;
    for (;;) {
      if (p >= end) return false;
      const b = bytes[p]!;
      if (b === QUOTE) break;
      if (b < 0x20) return false;
      if (b === BACKSLASH) {
        const c = bytes[p + 1];
        if (c === 0x75) {
          if (p + 6 > end || !HEX.test(String.fromCharCode(...bytes.subarray(p + 2, p + 6)))) return false;
          p += 4;
        } else if (
          c !== QUOTE &&
          c !== BACKSLASH &&
          c !== 0x2f &&
          c !== 0x62 &&
          c !== 0x66 &&
          c !== 0x6e &&
          c !== 0x72 &&
          c !== 0x74
        ) {
          return false;
        }
        p++;
      }
      p++;
    }
    p++;
    return true;
  };
  /** After `{` or `,` in an object: a key and its colon. */
  const key = (): SkipFailure | undefined => {
    skipSpace();
    if (p >= end || bytes[p] !== QUOTE) return fail('expected a string key');
    if (!string()) return fail('malformed string');
    skipSpace();
    if (p >= end || bytes[p] !== 0x3a) return fail('expected ":"');
    p++;
    return undefined;
  };
  for (;;) {
    // A value starts here.
    skipSpace();
    const b = p < end ? bytes[p] : undefined;
    if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (depth === maxDepth) return { kind: 'depth', why: `nesting deeper than ${maxDepth}`, at: p };
      stack[depth++] = b;
      p++;
      skipSpace();
      const close = b === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
      if (p < end && bytes[p] === close) {
        p++;
        depth--;
      } else {
        if (b === OPEN_OBJECT) {
          const bad = key();
          if (bad) return bad;
        }
        continue;
      }
    } else if (b === QUOTE) {
      if (!string()) return fail('malformed string');
    } else {
      const start = p;
      while (p < end && !isTokenEnd(bytes[p])) p++;
      if (!isJsonNumber(bytes, start, p) && !isLiteral(bytes, start, p))
        return fail('unexpected token', start);
    }
    // After a value: close containers or move to the next element.
    for (;;) {
      if (depth === 0) return p;
      skipSpace();
      const c = p < end ? bytes[p] : undefined;
      const top = stack[depth - 1];
      if (c === 0x2c) {
        p++;
        if (top === OPEN_OBJECT) {
          const bad = key();
          if (bad) return bad;
        }
        break;
      }
      if (c === (top === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        p++;
        depth--;
        continue;
      }
      return fail(top === OPEN_OBJECT ? 'expected "," or "}"' : 'expected "," or "]"');
    }
  }
}

function isLiteral(bytes: Uint8Array, s: number, e: number): boolean {
  const word = String.fromCharCode(...bytes.subarray(s, Math.min(e, s + 6)));
  return e - s <= 5 && (word === 'true' || word === 'false' || word === 'null');
}
