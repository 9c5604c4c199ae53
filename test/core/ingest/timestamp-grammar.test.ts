import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp, type TimestampParts } from '../../../functions/core/ingest/timestamp-grammar.js';
import { utf8 } from './table-values.js';

const pad = (v: number, width: number) => String(v).padStart(width, '0');

/** Milliseconds since the epoch from the platform calendar (setUTCFullYear keeps years < 100). */
function platformMillis(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

const instant = fc.record({
  y: fc.integer({ min: 1, max: 9999 }),
  mo: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 28 }),
  h: fc.integer({ min: 0, max: 23 }),
  mi: fc.integer({ min: 0, max: 59 }),
  s: fc.integer({ min: 0, max: 59 }),
  frac: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 6 }),
  offset: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
  sep: fc.constantFrom('T', ' '),
  zone: fc.constantFrom('none', 'Z', 'offset'),
});

describe('timestamp grammar', () => {
  it('agrees with the platform calendar on every accepted form', () => {
    fc.assert(
      fc.property(instant, ({ y, mo, d, h, mi, s, frac, offset, sep, zone }) => {
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const tz =
          zone === 'Z'
            ? 'Z'
            : zone === 'offset'
              ? `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
              : '';
        const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}${sep}${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac ? `.${frac}` : ''}${tz}`;
        const out: TimestampParts = { seconds: 0, micros: 0 };
        expect(parseTimestamp(utf8(text), 0, text.length, out)).toBe(true);
        const shift = zone === 'offset' ? offset * 60 : 0;
        expect(out.seconds).toBe(platformMillis(y, mo, d, h, mi, s) / 1000 - shift);
        expect(out.micros).toBe(frac ? Number(frac.padEnd(6, '0')) : 0);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['2024-02-30'],
    ['1900-02-29'],
    ['0000-01-01'],
    ['2024-1-01'],
    ['2024-01-01T24:00:00'],
    ['2024-01-01T00:60:00'],
    ['2024-01-01T00:00:00.'],
    ['2024-01-01T00:00:00+24:00'],
    ['2024-01-01T00:00:00+0100'],
    ['2024-01-01T00:00:00 '],
    ['2024-01-01t00:00:00'],
  ])('refuses %j', (text) => {
    expect(parseTimestamp(utf8(text), 0, text.length, { seconds: 0, micros: 0 })).toBe(false);
  });
});
