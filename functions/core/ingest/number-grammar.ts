import { Buffer } from 'node:buffer';

/**
 * Number grammars over UTF-8 bytes (docs/SPLIT-SPEC.md, "Type inference"). Parsing straight
 * from the bytes keeps the CSV path free of per-cell string allocation.
 */

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
/** 2^53 as ASCII digits: a 16-digit integer above it can't be a double exactly. */
const TWO_POW_53 = '9007199254740992';
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= ZERO && b <= NINE;
}

let lastBytes: Uint8Array | undefined;
let lastBuffer: Buffer | undefined;

/** Bytes as a latin1 string (numbers are ASCII); the Buffer view is reused across cells. */
function ascii(bytes: Uint8Array, s: number, e: number): string {
  if (bytes !== lastBytes) {
    lastBytes = bytes;
    lastBuffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return lastBuffer!.toString('latin1', s, e);
}

/** Digits `s..e` compared with 2^53 written out, both without sign or leading zeros. */
function above2Pow53(bytes: Uint8Array, s: number, e: number): boolean {
  const n = e - s;
  if (n !== TWO_POW_53.length) return n > TWO_POW_53.length;
  for (let i = 0; i < n; i++) {
    const d = bytes[s + i]! - TWO_POW_53.charCodeAt(i);
    if (d !== 0) return d > 0;
  }
  return false;
}

/** End of `-?(0|[1-9][0-9]*)` starting at `s`, or -1. */
function scanInteger(bytes: Uint8Array, s: number, e: number): number {
  let p = s;
  if (bytes[p] === MINUS) p++;
  if (p >= e || !isDigit(bytes[p])) return -1;
  if (bytes[p] === ZERO) return p + 1;
  while (p < e && isDigit(bytes[p])) p++;
  return p;
}

/**
 * The value of a canonical integer (`-?(0|[1-9][0-9]*)`, not "-0") of magnitude at most 2^53,
 * or NaN for anything else. Within that range doubles hold every integer exactly.
 */
export function parseSafeInteger(bytes: Uint8Array, s: number, e: number): number {
  if (scanInteger(bytes, s, e) !== e) return Number.NaN;
  const negative = bytes[s] === MINUS;
  const d0 = negative ? s + 1 : s;
  if (negative && e - d0 === 1 && bytes[d0] === ZERO) return Number.NaN;
  if (above2Pow53(bytes, d0, e)) return Number.NaN;
  let v = 0;
  for (let i = d0; i < e; i++) v = v * 10 + (bytes[i]! - ZERO);
  return negative ? -v : v;
}

/** A canonical integer within the signed 64-bit range (for an explicit int64 schema), or undefined. */
export function parseInt64(bytes: Uint8Array, s: number, e: number): bigint | undefined {
  if (scanInteger(bytes, s, e) !== e) return undefined;
  if (bytes[s] === MINUS && e - s === 2 && bytes[s + 1] === ZERO) return undefined;
  const v = BigInt(ascii(bytes, s, e));
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : undefined;
}

/**
 * The double for a JSON-grammar number (RFC 8259 section 6), or NaN when the bytes aren't one
 * or overflow to infinity. With `limitIntegers`, integers above 2^53 in magnitude are refused
 * too, since rounding them would lose digits. Without `needValue` the result is only
 * meaningful as NaN or not-NaN, which skips the costly slow path where it can.
 */
export function parseDecimal(
  bytes: Uint8Array,
  s: number,
  e: number,
  limitIntegers: boolean,
  needValue = true,
): number {
  let p = scanInteger(bytes, s, e);
  if (p < 0) return Number.NaN;
  const negative = bytes[s] === MINUS;
  const intEnd = p;
  let mantissa = 0;
  let digits = 0;
  for (let i = negative ? s + 1 : s; i < intEnd; i++) {
    mantissa = mantissa * 10 + (bytes[i]! - ZERO);
    digits++;
  }
  let fraction = 0;
  if (p < e && bytes[p] === DOT) {
    p++;
    const f0 = p;
    while (p < e && isDigit(bytes[p])) {
      mantissa = mantissa * 10 + (bytes[p]! - ZERO);
      p++;
    }
    fraction = p - f0;
    if (fraction === 0) return Number.NaN;
    digits += fraction;
  }
  let hasExponent = false;
  if (p < e && (bytes[p] === 0x65 || bytes[p] === 0x45)) {
    hasExponent = true;
    p++;
    if (bytes[p] === PLUS || bytes[p] === MINUS) p++;
    if (!isDigit(bytes[p])) return Number.NaN;
    while (p < e && isDigit(bytes[p])) p++;
  }
  if (p !== e) return Number.NaN;
  if (!hasExponent && fraction === 0) {
    if (limitIntegers && above2Pow53(bytes, negative ? s + 1 : s, e)) return Number.NaN;
  }
  // Without an exponent, fewer than 309 integer digits can't overflow: grammar settles it.
  if (!needValue && !hasExponent && intEnd - s < 300) return 1;
  let v: number;
  // Exact mantissa and exact power of ten: one IEEE operation rounds correctly (Clinger's fast path).
  if (!hasExponent && digits <= 15 && fraction <= 22) {
    v = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
  } else {
    v = Number(ascii(bytes, negative ? s + 1 : s, e));
  }
  if (!Number.isFinite(v)) return Number.NaN;
  return negative ? -v : v;
}
