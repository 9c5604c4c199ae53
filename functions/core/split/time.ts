import { Type } from 'apache-arrow';
import type { FlatColumn } from '../arrow/flat-column.js';
import { DatasetError } from '../errors.js';
import { decimalReader, floatReader, intReader, unsupportedColumn, validAt } from './column-values.js';
import { splitCounts } from './counts.js';
import { keyReader } from './keys.js';
import { iota } from './random.js';
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

function readOrderValues(col: FlatColumn): OrderValue[] {
  const read = orderReader(col);
  const valid = validAt(col);
  const values = new Array<OrderValue>(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = valid(i) ? read(i) : null;
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
      const what = v === null ? 'null' : 'NaN';
      throw new DatasetError(
        v === null ? 'TIME.NULL_ORDER_VALUE' : 'TIME.INVALID_ORDER_VALUE',
        `order column "${col.name}" is ${what} at row ${i + 1} (1-based data row); time splits need a value in every row`,
        { details: { column: col.name, row: i + 1 } },
      );
    }
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
  const [train, validation] = splitCounts(col.length, ratios);
  const splitOf = new Uint8Array(col.length);
  order.forEach((row, p) => {
    splitOf[row] = p < train ? 0 : p < train + validation ? 1 : 2;
  });
  return splitOf;
}
