import { Type } from 'apache-arrow';
import type { FlatColumn } from '../arrow/flat-column.js';
import { DatasetError } from '../errors.js';
import { decimalReader, floatReader, intReader, unsupportedColumn, validAt } from './column-values.js';
import { keyReader } from './keys.js';
import { iota, splitByPosition } from './random.js';
import type { Ratios, SplitOfRow } from './types.js';

type OrderValue = number | bigint | string;

/**
 * The value a time split orders rows by (SPLIT-SPEC.md §2.4): numbers, decimals (by unscaled
 * integer: one column has one scale), the stored integer of temporal types, utf8 bytewise.
 * Any other type is refused with SPEC.UNSUPPORTED_COLUMN_TYPE.
 */
export function orderReader(col: FlatColumn): (i: number) => OrderValue {
  const float = floatReader(col);
  if (float) return float;
  const decimal = decimalReader(col);
  if (decimal) return decimal.unscaled;
  const int = intReader(col);
  if (int) return int;
  if (col.kind === 'binary' && (col.type.typeId === Type.Utf8 || col.type.typeId === Type.LargeUtf8)) {
    return keyReader(col, 'an order column');
  }
  throw unsupportedColumn('an order column', col);
}

/** TIME.NULL_ORDER_VALUE (or TIME.INVALID_ORDER_VALUE for a NaN) at a 1-based data row. */
export function badOrderValue(column: string, row: number, nan: boolean): DatasetError {
  return new DatasetError(
    nan ? 'TIME.INVALID_ORDER_VALUE' : 'TIME.NULL_ORDER_VALUE',
    `order column "${column}" is ${nan ? 'NaN' : 'null'} at row ${row} (1-based data row); time splits need a value in every row`,
    { details: { column, row } },
  );
}

function readOrderValues(col: FlatColumn): OrderValue[] {
  const read = orderReader(col);
  const valid = validAt(col);
  const values = new Array<OrderValue>(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = valid(i) ? read(i) : null;
    if (v === null || (typeof v === 'number' && Number.isNaN(v)))
      throw badOrderValue(col.name, i + 1, v !== null);
    values[i] = v;
  }
  return values;
}

/**
 * time: rows sorted ascending by the order column, ties by source position; the first
 * count(train) go to train, the next count(validation) to validation, the latest to test.
 */
export function assignTime(col: FlatColumn, ratios: Ratios): SplitOfRow {
  const values = readOrderValues(col);
  // Strings here are latin1 byte strings, so < is bytewise; number and bigint compare exactly.
  const order = iota(col.length).sort((a, b) => {
    const x = values[a]!;
    const y = values[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  return splitByPosition(order, ratios);
}
