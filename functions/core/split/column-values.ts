import { DataType, DateUnit, Precision, TimeUnit, Type, util } from 'apache-arrow';
import { bit, type FlatColumn } from '../arrow/flat-column.js';
import { ValidationError } from '../errors.js';

/** Reads row i of an integer-backed column as a number when exact, else as a bigint. */
export type IntReader = (i: number) => number | bigint;

const SAFE_HI = 2097152; // 2^21: |hi * 2^32 + lo| stays below 2^53

function view(col: FlatColumn & { kind: 'fixed' }): DataView {
  return new DataView(col.bytes.buffer, col.bytes.byteOffset, col.bytes.byteLength);
}

function int64Reader(dv: DataView, signed: boolean): IntReader {
  return (i) => {
    const lo = dv.getUint32(i * 8, true);
    const hi = signed ? dv.getInt32(i * 8 + 4, true) : dv.getUint32(i * 8 + 4, true);
    if (hi < SAFE_HI && hi >= -SAFE_HI) return hi * 4294967296 + lo;
    return signed ? dv.getBigInt64(i * 8, true) : dv.getBigUint64(i * 8, true);
  };
}

/** Integer reader for Int*, Uint*, Date, Timestamp, Time and Duration columns; null for other types. */
export function intReader(col: FlatColumn): IntReader | null {
  if (col.kind !== 'fixed') return null;
  const dv = view(col);
  const { typeId } = col.type;
  const signed = DataType.isInt(col.type) ? col.type.isSigned : true;
  const temporal = [Type.Date, Type.Timestamp, Type.Time, Type.Duration].includes(typeId);
  if (typeId !== Type.Int && !temporal) return null;
  switch (col.width) {
    case 1:
      return signed ? (i) => dv.getInt8(i) : (i) => dv.getUint8(i);
    case 2:
      return signed ? (i) => dv.getInt16(i * 2, true) : (i) => dv.getUint16(i * 2, true);
    case 4:
      return signed ? (i) => dv.getInt32(i * 4, true) : (i) => dv.getUint32(i * 4, true);
    default:
      return int64Reader(dv, signed);
  }
}

/** Reader for Float16, Float32 and Float64 columns, as doubles (every half and single is exact); null for other types. */
export function floatReader(col: FlatColumn): ((i: number) => number) | null {
  if (col.kind !== 'fixed' || col.type.typeId !== Type.Float) return null;
  const dv = view(col);
  const { precision } = col.type as unknown as { precision: Precision };
  if (precision === Precision.DOUBLE) return (i) => dv.getFloat64(i * 8, true);
  if (precision === Precision.SINGLE) return (i) => dv.getFloat32(i * 4, true);
  return (i) => util.uint16ToFloat64(dv.getUint16(i * 2, true));
}

/** A decimal column's values as unscaled integers, with the column's scale (value = unscaled × 10^-scale). */
export interface DecimalReader {
  readonly scale: number;
  readonly unscaled: (i: number) => bigint;
}

/** Reader for Decimal columns (any bit width: little-endian two's complement); null for other types. */
export function decimalReader(col: FlatColumn): DecimalReader | null {
  if (col.kind !== 'fixed' || col.type.typeId !== Type.Decimal) return null;
  const dv = view(col);
  const { scale, bitWidth } = col.type as unknown as { scale: number; bitWidth: number };
  if (bitWidth === 32) return { scale, unscaled: (i) => BigInt(dv.getInt32(i * 4, true)) };
  const words = bitWidth / 64;
  const unscaled = (i: number): bigint => {
    let v = 0n;
    for (let w = words - 1; w >= 0; w--) v = (v << 64n) | dv.getBigUint64((i * words + w) * 8, true);
    return BigInt.asIntN(bitWidth, v);
  };
  return { scale, unscaled };
}

/** Validity test of row i (true = not null). */
export function validAt(col: FlatColumn): (i: number) => boolean {
  const { validity } = col;
  return validity ? (i) => bit(validity, i) : () => true;
}

/** The unit word used in keys of temporal columns (see SPLIT-SPEC.md §2.2). */
export function temporalUnit(type: DataType): string {
  if (DataType.isDate(type)) return type.unit === DateUnit.DAY ? 'day' : 'millisecond';
  return TimeUnit[(type as unknown as { unit: TimeUnit }).unit]!.toLowerCase();
}

/** The refusal of a column whose type cannot play `role` (SPLIT-SPEC.md §2.3, §2.4). */
export function unsupportedColumn(role: string, col: Pick<FlatColumn, 'name' | 'type'>): ValidationError {
  return new ValidationError(
    'SPEC.UNSUPPORTED_COLUMN_TYPE',
    `column "${col.name}" has type ${col.type}, which cannot be used as ${role}`,
    { details: { column: col.name, type: String(col.type), role } },
  );
}
