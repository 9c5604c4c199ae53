import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../functions/core/ingest/number-grammar.js';
import { utf8 } from './table-values.js';

function parse(text: string): number {
  const bytes = utf8(text);
  return parseDecimal(bytes, 0, bytes.length, false);
}

describe('decimals with 16 to 19 significant digits', () => {
  it.each([
    ['9007199254740993', 'a tie between two doubles that rounds to even'],
    ['9007199254740995', 'a tie that rounds up to even'],
    ['4503599627370496.5', 'a tie at the first fraction bit'],
    ['0.1000000000000000055511151231257827', 'too many digits for the exact path'],
    ['1.3067306920398527', 'a 17-digit double as Python prints it'],
    ['123456789012345678.9', 'nineteen digits with a fraction'],
    ['9999999999999999999', 'the largest nineteen-digit integer'],
    ['18446744073709551615', 'twenty digits'],
    ['0.0000009007199254740993', 'a small quotient with twenty-two fraction digits'],
    ['-149.85514411962964', 'a negative 17-digit value'],
  ])('reads %s exactly as Number() does (%s)', (text) => {
    expect(Object.is(parse(text), Number(text))).toBe(true);
  });

  it('agrees with Number() on random plain decimals of up to nineteen digits', () => {
    const digits = fc.stringMatching(/^[1-9][0-9]{15,18}$/);
    fc.assert(
      fc.property(digits, fc.nat({ max: 22 }), (all, dot) => {
        const at = Math.max(1, all.length - dot);
        const text = at >= all.length ? all : `${all.slice(0, at)}.${all.slice(at)}`;
        expect(Object.is(parse(text), Number(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
