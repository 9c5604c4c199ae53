/**
 * Correctly rounded doubles for plain decimals whose digits don't fit a double exactly (16 to 19
 * significant digits, no exponent), without building a string for Number(). The quotient
 * M / 10^f is computed in double-double arithmetic (about 100 bits); when that is too close to
 * a rounding boundary to decide, the caller falls back to Number() on the text.
 */

const SPLITTER = 2 ** 27 + 1;
/** Relative error of the double-double quotient is below 2^-100; this leaves ten bits of margin. */
const ERROR_BOUND = 2 ** -90;
const BILLION = 1e9;
const view = new DataView(new ArrayBuffer(8));

/** hi and lo of a split into two halves that multiply exactly (Veltkamp). */
function splitHi(a: number): number {
  const c = SPLITTER * a;
  return c - (c - a);
}

/** The rounding error of a * b: a * b === fl(a * b) + twoProductError(a, b) exactly (Dekker). */
function twoProductError(a: number, b: number, p: number): number {
  const ah = splitHi(a);
  const al = a - ah;
  const bh = splitHi(b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** The rounding error of a + b: a + b === fl(a + b) + twoSumError(a, b, s) exactly (Knuth). */
function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

/**
 * The double nearest to (a * 10^9 + b) / 10^f for exact integers a < 10^10 and b < 10^9 and
 * 0 <= f <= 22, or NaN when double-double precision can't settle the rounding.
 */
export function exactQuotient(a: number, b: number, f: number, pow10: number): number {
  const p = a * BILLION;
  const e = twoProductError(a, BILLION, p);
  const mh = p + b;
  const ml = e + twoSumError(p, b, mh);
  const q1 = mh / pow10;
  const p2 = q1 * pow10;
  const e2 = twoProductError(q1, pow10, p2);
  const q2 = (mh - p2 - e2 + ml) / pow10;
  const s = q1 + q2;
  const t = twoSumError(q1, q2, s);
  view.setFloat64(0, s);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exponent = (hi >>> 20) & 0x7ff;
  // Only normal numbers reach here: the quotient is at least 2^53 / 10^22.
  if (f > 22 || exponent <= 53) return Number.NaN;
  // Built from its bits so the unit in the last place is exactly a power of two.
  view.setUint32(0, (exponent - 52) << 20);
  view.setUint32(4, 0);
  const ulp = view.getFloat64(0);
  const powerOfTwo = (hi & 0xfffff) === 0 && lo === 0;
  const room = (t < 0 && powerOfTwo ? ulp / 4 : ulp / 2) - Math.abs(t);
  return room > s * ERROR_BOUND ? s : Number.NaN;
}
