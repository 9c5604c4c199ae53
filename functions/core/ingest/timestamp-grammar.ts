/**
 * ISO 8601 timestamps as accepted by inference and by an explicit `timestamp` schema
 * (docs/SPLIT-SPEC.md, "Timestamps"):
 *   YYYY-MM-DD
 *   YYYY-MM-DD(T| )hh:mm:ss[.f{1,6}][Z|(+|-)hh:mm]
 * No offset means UTC. More than six fraction digits would not fit microseconds, so such
 * values are not timestamps.
 */

const ZERO = 0x30;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Microseconds per unit of an n-digit fraction, by n: a lookup instead of a power per value. */
const MICRO_SCALE = [0, 100_000, 10_000, 1000, 100, 10, 1];

/** Seconds and microseconds since 1970-01-01T00:00:00Z, written by parseTimestamp. */
export interface TimestampParts {
  seconds: number;
  micros: number;
}

function digits(bytes: Uint8Array, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = bytes[i]! - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function parseDate(bytes: Uint8Array, s: number): number | undefined {
  if (bytes[s + 4] !== 0x2d || bytes[s + 7] !== 0x2d) return undefined;
  const year = digits(bytes, s, 4);
  const month = digits(bytes, s + 5, 2);
  const day = digits(bytes, s + 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return undefined;
  const last = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day > last ? undefined : daysFromCivil(year, month, day);
}

/** Parses bytes `s..e` into `out`; false when they aren't an accepted timestamp form. */
export function parseTimestamp(bytes: Uint8Array, s: number, e: number, out: TimestampParts): boolean {
  const n = e - s;
  if (n !== 10 && n < 19) return false;
  const days = parseDate(bytes, s);
  if (days === undefined) return false;
  if (n === 10) {
    out.seconds = days * 86400;
    out.micros = 0;
    return true;
  }
  const sep = bytes[s + 10];
  if ((sep !== 0x54 && sep !== 0x20) || bytes[s + 13] !== 0x3a || bytes[s + 16] !== 0x3a) return false;
  const hh = digits(bytes, s + 11, 2);
  const mm = digits(bytes, s + 14, 2);
  const ss = digits(bytes, s + 17, 2);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return false;
  let p = s + 19;
  let micros = 0;
  if (p < e && bytes[p] === 0x2e) {
    const f0 = ++p;
    while (p < e && bytes[p]! >= ZERO && bytes[p]! <= ZERO + 9) p++;
    const count = p - f0;
    if (count < 1 || count > 6) return false;
    micros = digits(bytes, f0, count) * MICRO_SCALE[count]!;
  }
  let offset = 0;
  if (p < e) {
    const sign = bytes[p];
    if (sign === 0x5a && p + 1 === e) {
      p++;
    } else if ((sign === 0x2b || sign === 0x2d) && e - p === 6 && bytes[p + 3] === 0x3a) {
      const oh = digits(bytes, p + 1, 2);
      const om = digits(bytes, p + 4, 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
      offset = (sign === 0x2d ? -1 : 1) * (oh * 3600 + om * 60);
      p = e;
    } else {
      return false;
    }
  }
  out.seconds = days * 86400 + hh * 3600 + mm * 60 + ss - offset;
  out.micros = micros;
  return true;
}
