import { Buffer } from 'node:buffer';
import { exactQuotient } from './decimal-exact.js';

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
/** 10^22 is the largest power of ten a double holds exactly. */
const MAX_EXACT_POW10 = 22;
const TWO_POW_53_VALUE = 2 ** 53;

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

/**
 * The value of a canonical integer (`-?(0|[1-9][0-9]*)`, not "-0") of magnitude at most 2^53,
 * or NaN for anything else. Within that range doubles hold every integer exactly.
 */
export function parseSafeInteger(bytes: Uint8Array, s: number, e: number): number {
  const negative = bytes[s] === MINUS;
  const d0 = negative ? s + 1 : s;
  const n = e - d0;
  if (n <= 0 || n > TWO_POW_53.length) return Number.NaN;
  let v = bytes[d0]! - ZERO;
  // A leading zero is only allowed alone, and "-0" is not canonical.
  if (v === 0) return n === 1 && !negative ? 0 : Number.NaN;
  if (v < 0 || v > 9) return Number.NaN;
  for (let i = d0 + 1; i < e; i++) {
    const d = bytes[i]! - ZERO;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  if (n === TWO_POW_53.length && above2Pow53(bytes, d0, e)) return Number.NaN;
  return negative ? -v : v;
}

/** Whether bytes `s..e` are one JSON number (RFC 8259 section 6), whatever its magnitude. */
export function isJsonNumber(bytes: Uint8Array, s: number, e: number): boolean {
  let p = bytes[s] === MINUS ? s + 1 : s;
  if (p >= e || !isDigit(bytes[p])) return false;
  if (bytes[p++] !== ZERO) while (p < e && isDigit(bytes[p])) p++;
  if (p < e && bytes[p] === DOT) {
    if (!isDigit(bytes[++p])) return false;
    while (p < e && isDigit(bytes[p])) p++;
  }
  if (p < e && (bytes[p] === 0x65 || bytes[p] === 0x45)) {
    p++;
    if (bytes[p] === PLUS || bytes[p] === MINUS) p++;
    if (p >= e || !isDigit(bytes[p])) return false;
    while (p < e && isDigit(bytes[p])) p++;
  }
  return p === e;
}

/** A canonical integer within the signed 64-bit range (for an explicit int64 schema), or undefined. */
export function parseInt64(bytes: Uint8Array, s: number, e: number): bigint | undefined {
  const d0 = bytes[s] === MINUS ? s + 1 : s;
  if (d0 >= e || (bytes[d0] === ZERO && (e - d0 > 1 || d0 > s))) return undefined;
  for (let i = d0; i < e; i++) if (!isDigit(bytes[i])) return undefined;
  const v = BigInt(ascii(bytes, s, e));
  return v >= -(2n ** 63n) && v < 2n ** 63n ? v : undefined;
}

/**
 * Digits `s..e` (one optional dot, no sign or exponent) as a billions part and a remainder, both
 * exact, then divided by 10^fraction through exactQuotient; NaN past 19 digits or when undecided.
 */
function splitQuotient(bytes: Uint8Array, s: number, e: number, fraction: number): number {
  const count = e - s - (fraction > 0 ? 1 : 0);
  if (count > 19) return Number.NaN;
  let a = 0;
  let b = 0;
  let k = 0;
  for (let p = s; p < e; p++) {
    const d = bytes[p]! - ZERO;
    if (d < 0 || d > 9) continue;
    if (k++ < count - 9) a = a * 10 + d;
    else b = b * 10 + d;
  }
  return exactQuotient(a, b, fraction, POW10[fraction]!);
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
  const negative = bytes[s] === MINUS;
  const d0 = negative ? s + 1 : s;
  if (d0 >= e) return Number.NaN;
  let p = d0;
  let mantissa = bytes[p]! - ZERO;
  if (mantissa < 0 || mantissa > 9) return Number.NaN;
  p++;
  if (mantissa !== 0) {
    while (p < e) {
      const d = bytes[p]! - ZERO;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      p++;
    }
  }
  const intDigits = p - d0;
  let fraction = 0;
  if (p < e && bytes[p] === DOT) {
    const f0 = ++p;
    while (p < e) {
      const d = bytes[p]! - ZERO;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      p++;
    }
    fraction = p - f0;
    if (fraction === 0) return Number.NaN;
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
  if (limitIntegers && !hasExponent && fraction === 0 && above2Pow53(bytes, d0, e)) return Number.NaN;
  // Without an exponent, fewer than 300 integer digits can't overflow: grammar settles it.
  if (!needValue && !hasExponent && intDigits < 300) return 1;
  let v: number;
  // Exact mantissa and exact power of ten: one IEEE operation rounds correctly (Clinger's fast path).
  // Rounding is monotonic, so an accumulated mantissa below 2^53 means no step ever rounded.
  if (!hasExponent && mantissa < TWO_POW_53_VALUE && fraction <= MAX_EXACT_POW10) {
    v = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
  } else {
    v = !hasExponent && fraction <= MAX_EXACT_POW10 ? splitQuotient(bytes, d0, e, fraction) : Number.NaN;
    if (Number.isNaN(v)) v = Number(ascii(bytes, d0, e));
  }
  if (!Number.isFinite(v)) return Number.NaN;
  return negative ? -v : v;
}
