/**
 * Exact values of JSON number text (docs/SPLIT-SPEC.md §8.6): a row's integers, decimals and
 * 64-bit temporals are read from the text itself, never through a double, so
 * 12345678901234567891 and 0.10 mean exactly what they say.
 */

/** JSON's number grammar (RFC 8259 §6), which strings holding a number must follow too. */
const NUMBER = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Beyond 10^±400 no column type holds an exact value (decimal256 has 76 digits). */
const MAX_EXPONENT = 400;

/** value = (negative ? −1 : 1) × digits × 10^exponent. */
export interface ExactDecimal {
  readonly digits: bigint;
  readonly exponent: number;
}

/** The exact value of number text, or undefined when it is not JSON number text or is out of reach. */
export function exactDecimal(text: string): ExactDecimal | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction = '', exp = '0'] = m;
  const exponent = Number(exp) - fraction.length;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT + 100) return undefined;
  const magnitude = BigInt(`${whole}${fraction}`);
  return { digits: sign === '-' ? -magnitude : magnitude, exponent };
}

/**
 * The value × 10^scale as an integer, or undefined when that is not an integer (the value has
 * more fraction digits than the scale keeps) or its exponent is beyond any column's reach.
 */
export function scaledInteger(value: ExactDecimal, scale: number): bigint | undefined {
  const shift = value.exponent + scale;
  if (value.digits === 0n) return 0n;
  if (shift > MAX_EXPONENT) return undefined;
  if (shift >= 0) return value.digits * 10n ** BigInt(shift);
  if (shift < -MAX_EXPONENT) return undefined;
  const unit = 10n ** BigInt(-shift);
  return value.digits % unit === 0n ? value.digits / unit : undefined;
}
