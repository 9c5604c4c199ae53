import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, parseInt64, parseSafeInteger } from '../../../functions/core/ingest/number-grammar.js';
import { utf8 } from './table-values.js';

// Reference definitions straight from docs/SPLIT-SPEC.md 1.5, using the platform's parser.
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const INTEGER = /^-?(0|[1-9]\d*)$/;
const TWO_POW_53 = 2n ** 53n;

function referenceDecimal(text: string, limitIntegers: boolean): number {
  if (!JSON_NUMBER.test(text)) return Number.NaN;
  if (limitIntegers && INTEGER.test(text) && (BigInt(text) > TWO_POW_53 || BigInt(text) < -TWO_POW_53)) {
    return Number.NaN;
  }
  const v = Number(text);
  return Number.isFinite(v) ? v : Number.NaN;
}

function referenceInteger(text: string): number {
  if (!INTEGER.test(text) || text === '-0') return Number.NaN;
  const v = BigInt(text);
  return v > TWO_POW_53 || v < -TWO_POW_53 ? Number.NaN : Number(v);
}

const numberish = fc.oneof(
  fc.stringMatching(/^-?(0|[1-9]\d{0,20})(\.\d{1,20})?([eE][+-]?\d{1,3})?$/),
  fc.string({ unit: fc.constantFrom(...'0123456789.-+eE'), minLength: 1, maxLength: 24 }),
  fc.double({ noNaN: true }).map(String),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
);

describe('number grammars', () => {
  it('parse decimals exactly as the platform parser does, for every string', () => {
    fc.assert(
      fc.property(numberish, fc.boolean(), (text, limit) => {
        const bytes = utf8(`x${text}y`);
        expect(parseDecimal(bytes, 1, bytes.length - 1, limit)).toBe(referenceDecimal(text, limit));
      }),
      { numRuns: 5000 },
    );
  });

  it('accept safe integers exactly as the reference definition does', () => {
    fc.assert(
      fc.property(numberish, (text) => {
        const bytes = utf8(text);
        expect(parseSafeInteger(bytes, 0, bytes.length)).toBe(referenceInteger(text));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['9223372036854775808', undefined],
    ['-0', undefined],
    ['007', undefined],
    ['1.0', undefined],
  ])('reads %s as a declared int64 of %s', (text, expected) => {
    const bytes = utf8(text);
    expect(parseInt64(bytes, 0, bytes.length)).toBe(expected);
  });
});
