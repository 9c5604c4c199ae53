import { Type } from 'apache-arrow';
import type { FlatColumn } from '../arrow/flat-column.js';
import { floatReader, intReader, temporalUnit } from '../split/column-values.js';

/**
 * Fast paths of the §2.3 key bytes for the scalar types a row identity meets most (integers,
 * floats, temporal values, bools): the same bytes keyReader's strings give, written straight
 * into the row buffer with no string per value. Row identities cost one SHA-256 per row;
 * building a string per value cost several times that.
 */

/** The growable buffer a row is encoded into (row-identity.ts). */
export interface ByteSink {
  buf: Buffer;
  at: number;
  ensure(extra: number): void;
  latin1(s: string): void;
}

export type Encoder = (i: number, out: ByteSink) => void;

const TWO_53 = 9007199254740992;
const NAN_KEY = 'f7ff8000000000000';
const BITS = new DataView(new ArrayBuffer(8));
/** ASCII of the two lower-case hex digits of each byte. */
const HEX = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  const text = b.toString(16).padStart(2, '0');
  HEX[2 * b] = text.charCodeAt(0);
  HEX[2 * b + 1] = text.charCodeAt(1);
}

/** `tag` then the decimal digits of a safe integer, as String(n) writes them (-0 as 0). */
function writeInt(out: ByteSink, tag: number, n: number): void {
  out.ensure(18);
  const buf = out.buf;
  buf[out.at++] = tag;
  if (n < 0) {
    buf[out.at++] = 0x2d;
    n = -n;
  }
  let digits = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
  let at = out.at + digits;
  out.at = at;
  do {
    const q = Math.floor(n / 10);
    buf[--at] = 0x30 + (n - q * 10);
    n = q;
  } while (n > 0);
}

/** §2.3 key of a float: `i` + the integer when it is one within ±2^53, else `f` + its bits. */
function writeFloat(out: ByteSink, x: number): void {
  if (Number.isInteger(x) && Math.abs(x) <= TWO_53) {
    writeInt(out, 0x69, x);
    return;
  }
  if (Number.isNaN(x)) {
    out.latin1(NAN_KEY);
    return;
  }
  BITS.setFloat64(0, x, false);
  out.ensure(17);
  const buf = out.buf;
  buf[out.at++] = 0x66;
  for (let k = 0; k < 8; k++) {
    const b = BITS.getUint8(k);
    buf[out.at++] = HEX[2 * b]!;
    buf[out.at++] = HEX[2 * b + 1]!;
  }
}

const TEMPORAL_TAG = new Map<Type, string>([
  [Type.Timestamp, 't'],
  [Type.Date, 't'],
  [Type.Time, 'h'],
  [Type.Duration, 'u'],
]);

/** The fast encoder of a column's non-null values, or undefined where keyReader must do it. */
export function scalarEncoder(col: FlatColumn): Encoder | undefined {
  if (col.kind === 'bool') {
    const { bits } = col;
    return (i, out) => {
      out.ensure(2);
      out.buf[out.at++] = 0x62;
      out.buf[out.at++] = ((bits[i >> 3]! >> (i & 7)) & 1) === 1 ? 0x31 : 0x30;
    };
  }
  const float = floatReader(col);
  if (float) return (i, out) => writeFloat(out, float(i));
  const int = intReader(col);
  if (!int) return undefined;
  const big = (tag: string, v: number | bigint, suffix: string, out: ByteSink) =>
    out.latin1(`${tag}${v}${suffix}`);
  if (col.type.typeId === Type.Int) {
    return (i, out) => {
      const v = int(i);
      if (typeof v === 'number') writeInt(out, 0x69, v);
      else big('i', v, '', out);
    };
  }
  const tag = TEMPORAL_TAG.get(col.type.typeId);
  if (!tag) return undefined;
  const suffix = `/${temporalUnit(col.type)}`;
  const suffixBytes = Buffer.from(suffix, 'latin1');
  const code = tag.charCodeAt(0);
  return (i, out) => {
    const v = int(i);
    if (typeof v !== 'number') return big(tag, v, suffix, out);
    writeInt(out, code, v);
    out.ensure(suffixBytes.length);
    for (let k = 0; k < suffixBytes.length; k++) out.buf[out.at++] = suffixBytes[k]!;
  };
}
