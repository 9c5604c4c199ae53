import { type DataType, DateUnit, TimeUnit, Type } from 'apache-arrow';
import { parseTimestamp, type TimestampParts } from '../ingest/timestamp-grammar.js';

/**
 * ISO-8601 text for dates, timestamps and times of day (docs/SPLIT-SPEC.md §8.6): dates and
 * timestamps by the ingest grammar of §1.6 (so text means here what it means in a CSV cell),
 * times of day as `hh:mm:ss[.f]`. The stored integer is the instant (UTC) in the column's unit;
 * text that the unit cannot hold exactly (a fraction of a second in a second column) is refused.
 */

const encoder = new TextEncoder();
const NANOS_PER_UNIT: Readonly<Record<TimeUnit, bigint>> = {
  [TimeUnit.SECOND]: 1_000_000_000n,
  [TimeUnit.MILLISECOND]: 1_000_000n,
  [TimeUnit.MICROSECOND]: 1000n,
  [TimeUnit.NANOSECOND]: 1n,
};
const NANOS_PER_DAY = 86_400_000_000_000n;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d{1,9}))?$/;

/** Nanoseconds since 1970-01-01T00:00:00Z of §1.6 text, or undefined when it is not such text. */
function instantNanos(text: string): bigint | undefined {
  const bytes = encoder.encode(text);
  const parts: TimestampParts = { seconds: 0, micros: 0 };
  if (!parseTimestamp(bytes, 0, bytes.length, parts)) return undefined;
  return (BigInt(parts.seconds) * 1_000_000n + BigInt(parts.micros)) * 1000n;
}

function timeOfDayNanos(text: string): bigint | undefined {
  const m = TIME_OF_DAY.exec(text);
  if (!m) return undefined;
  const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return BigInt(seconds) * 1_000_000_000n + BigInt((m[4] ?? '').padEnd(9, '0'));
}

/** Nanoseconds per stored unit of a date, time or timestamp column. */
function nanosPerUnit(type: DataType): bigint {
  if (type.typeId === Type.Date) {
    return (type as unknown as { unit: DateUnit }).unit === DateUnit.DAY ? NANOS_PER_DAY : 1_000_000n;
  }
  return NANOS_PER_UNIT[(type as unknown as { unit: TimeUnit }).unit];
}

export type TemporalText =
  | { readonly ok: true; readonly stored: bigint }
  | { readonly ok: false; readonly reason: string };

/**
 * The stored integer that `text` names in a date, timestamp or time column; a reason when the
 * text is not the type's form or falls between two of the unit's values.
 */
export function temporalFromText(type: DataType, text: string): TemporalText {
  const isTime = type.typeId === Type.Time;
  const nanos = isTime ? timeOfDayNanos(text) : instantNanos(text);
  if (nanos === undefined) {
    return {
      ok: false,
      reason: isTime
        ? `"${text}" is neither an integer nor a time of day hh:mm:ss[.f]`
        : `"${text}" is neither an integer nor an ISO-8601 date or timestamp (§1.6)`,
    };
  }
  const unit = nanosPerUnit(type);
  if (nanos % unit !== 0n)
    return { ok: false, reason: `"${text}" is not a whole number of the column's unit` };
  return { ok: true, stored: nanos / unit };
}
