import { describe, expect, it } from 'vitest';
import { parseByteRange } from '../../functions/api/byte-range.js';

describe('parseByteRange', () => {
  it.each([
    [undefined, 100, undefined],
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=90-500', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['BYTES = 5 - 6', 100, { start: 5, end: 6 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=100-50', 100, undefined],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    ['bytes=99999999999999999999-', 100, 'unsatisfiable'],
    ['bytes=0-1,5-6', 100, undefined],
    ['bytes=-', 100, undefined],
    ['items=0-5', 100, undefined],
  ] as const)('reads %j of a %i-byte blob as %j', (header, size, expected) => {
    expect(parseByteRange(header, size)).toEqual(expected);
  });
});
