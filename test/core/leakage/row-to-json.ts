import { DateUnit, TimeUnit, Type } from 'apache-arrow';
import { bit, type FlatColumn } from '../../../functions/core/arrow/flat-column.js';
import { decimalReader, floatReader, intReader } from '../../../functions/core/split/column-values.js';

/**
 * A split file's row as JSON text, written the way docs/SPLIT-SPEC.md §8.6 says a user writes
 * it: the other half of the round trip the identity property test checks. `style` picks among
 * the equivalent forms (numbers or strings, integers or ISO text, objects or arrays).
 */

type Style = { readonly iso: boolean; readonly strings: boolean; readonly arrays: boolean };

const NANOS: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000_000n,
  [TimeUnit.MILLISECOND]: 1_000_000n,
  [TimeUnit.MICROSECOND]: 1000n,
  [TimeUnit.NANOSECOND]: 1n,
};

const pad = (n: number | bigint, width: number) => String(n).padStart(width, '0');

/** §1.6 text of an instant in nanoseconds, with the offset +05:30 half the time; undefined if none fits. */
function isoInstant(nanos: bigint, dateOnly: boolean, offset: boolean): string | undefined {
  if (nanos % 1000n !== 0n) return undefined;
  const shift = offset ? 19_800_000_000_000n : 0n;
  const local = nanos + shift;
  const ms = local / 1_000_000n - (local % 1_000_000n < 0n ? 1n : 0n);
  const micros = (((local / 1000n) % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const d = new Date(Number(ms));
  const year = d.getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999) return undefined;
  const date = `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  if (dateOnly) return date;
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return `${date}T${time}.${pad(micros, 6)}${offset ? '+05:30' : 'Z'}`;
}

function temporalText(col: FlatColumn, v: bigint, style: Style, row: number): string | undefined {
  if (!style.iso) return undefined;
  const unit = (col.type as unknown as { unit: number }).unit;
  if (col.type.typeId === Type.Date) {
    const nanos = v * (unit === DateUnit.DAY ? 86_400_000_000_000n : 1_000_000n);
    return unit === DateUnit.DAY ? isoInstant(nanos, true, false) : isoInstant(nanos, false, row % 2 === 1);
  }
  if (col.type.typeId === Type.Timestamp) return isoInstant(v * NANOS[unit]!, false, row % 2 === 1);
  if (col.type.typeId === Type.Time) {
    const nanos = v * NANOS[unit]!;
    const s = Number(nanos / 1_000_000_000n);
    return `${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}.${pad(nanos % 1_000_000_000n, 9)}`;
  }
  return undefined;
}

function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return String(unscaled * 10n ** BigInt(-scale));
  const negative = unscaled < 0n;
  const digits = pad(negative ? -unscaled : unscaled, scale + 1);
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function floatText(x: number): string {
  if (Number.isNaN(x)) return '"NaN"';
  if (!Number.isFinite(x)) return x > 0 ? '"Infinity"' : '"-Infinity"';
  return JSON.stringify(x);
}

function fixedText(col: FlatColumn & { kind: 'fixed' }, i: number, style: Style): string {
  const float = floatReader(col);
  if (float) return floatText(float(i));
  const decimal = decimalReader(col);
  if (decimal) {
    const text = decimalText(decimal.unscaled(i), decimal.scale);
    return style.strings ? JSON.stringify(text) : text;
  }
  const view = new DataView(col.bytes.buffer, col.bytes.byteOffset, col.bytes.byteLength);
  if (col.type.typeId === Type.FixedSizeBinary) {
    return JSON.stringify(
      Buffer.from(col.bytes.subarray(i * col.width, (i + 1) * col.width)).toString('base64'),
    );
  }
  if (col.type.typeId === Type.Interval) {
    const at = i * col.width;
    const unit = (col.type as unknown as { unit: number }).unit;
    if (unit === 0) return `{"months":${view.getInt32(at, true)}}`;
    if (unit === 1)
      return `{"days":${view.getInt32(at, true)},"milliseconds":${view.getInt32(at + 4, true)}}`;
    return `{"months":${view.getInt32(at, true)},"days":${view.getInt32(at + 4, true)},"nanoseconds":"${view.getBigInt64(at + 8, true)}"}`;
  }
  const v = BigInt(intReader(col)!(i));
  const iso = temporalText(col, v, style, i);
  if (iso !== undefined) return JSON.stringify(iso);
  // 64-bit values are written as strings when they would not survive a double.
  const safe = v >= -(2n ** 53n) && v <= 2n ** 53n;
  return style.strings || !safe ? `"${v}"` : String(v);
}

/** Row i of `col` as JSON text. */
export function valueJson(col: FlatColumn, i: number, style: Style): string {
  if (col.kind === 'null') return 'null';
  if (col.kind !== 'dictionary' && col.validity && !bit(col.validity, i)) return 'null';
  switch (col.kind) {
    case 'bool':
      return bit(col.bits, i) ? 'true' : 'false';
    case 'binary': {
      const bytes = Buffer.from(col.data.subarray(Number(col.starts[i]), Number(col.ends[i])));
      const isText = col.type.typeId === Type.Utf8 || col.type.typeId === Type.LargeUtf8;
      return JSON.stringify(isText ? bytes.toString('utf8') : bytes.toString('base64'));
    }
    case 'fixed':
      return fixedText(col, i, style);
    case 'dictionary': {
      if (col.validity && !bit(col.validity, i)) return 'null';
      return valueJson(col.values, col.entries[Number(intReader(col.indices)!(i))]!, style);
    }
    case 'list': {
      const from = Number(col.offsets[i]);
      const items = Array.from({ length: Number(col.offsets[i + 1]) - from }, (_, k) =>
        valueJson(col.child, from + k, style),
      );
      return `[${items.join(',')}]`;
    }
    case 'fixed-list':
      return `[${Array.from({ length: col.size }, (_, k) => valueJson(col.child, i * col.size + k, style)).join(',')}]`;
    case 'struct':
      return structJson(col, i, style);
  }
}

function structJson(col: FlatColumn & { kind: 'struct' }, i: number, style: Style): string {
  const names = col.type.children.map((f) => f.name);
  const values = col.children.map((child) => valueJson(child, i, style));
  if (style.arrays || new Set(names).size !== names.length) return `[${values.join(',')}]`;
  return `{${names.map((name, k) => `${JSON.stringify(name)}:${values[k]}`).join(',')}}`;
}

/** Row i of a table's columns as a JSON object (an array in schema order when `arrays`). */
export function rowJson(columns: readonly FlatColumn[], i: number, style: Style): string {
  const values = columns.map((col) => valueJson(col, i, style));
  if (style.arrays) return `[${values.join(',')}]`;
  return `{${columns.map((col, k) => `${JSON.stringify(col.name)}:${values[k]}`).join(',')}}`;
}
