import type { DataType } from 'apache-arrow';
import type { SplitSpec } from '../../../schemas/spec.js';
import { flattenColumn } from '../arrow/flat-column.js';
import { ValidationError } from '../errors.js';
import { keyReader } from './keys.js';
import { orderReader } from './time.js';

/** The column a strategy reads, the spec field that names it and the role it plays. */
interface SpecColumn {
  readonly field: 'stratifyBy' | 'groupBy' | 'key' | 'orderBy';
  readonly name: string | undefined;
  readonly role: string;
}

/** The columns the spec's strategy reads, in the order assignment reads them (none for random). */
export function specColumns(spec: SplitSpec): SpecColumn[] {
  const stratify: SpecColumn = {
    field: 'stratifyBy',
    name: spec.stratifyBy,
    role: 'a stratification column',
  };
  const group: SpecColumn = { field: 'groupBy', name: spec.groupBy, role: 'a group key' };
  switch (spec.strategy) {
    case 'random':
      return [];
    case 'stratified':
      return [stratify];
    case 'group':
      return [group];
    case 'stratified-group':
      return [stratify, group];
    case 'hash':
      return spec.key !== undefined
        ? [{ field: 'key', name: spec.key, role: 'a hash key' }]
        : [{ field: 'groupBy', name: spec.groupBy, role: 'a hash key' }];
    case 'time':
      return [{ field: 'orderBy', name: spec.orderBy, role: 'an order column' }];
  }
}

/** SPEC.UNKNOWN_COLUMN: the spec names a column the dataset lacks. */
export function unknownColumn(
  field: string,
  name: string | undefined,
  known: readonly string[],
): ValidationError {
  const list = known.map((c) => JSON.stringify(c)).join(', ');
  return new ValidationError(
    'SPEC.UNKNOWN_COLUMN',
    `${field} names column "${name}", which the dataset lacks (columns: ${list})`,
    { details: { field, column: name } },
  );
}

/**
 * Refuses, from the schema alone, a spec whose column is missing or of a type its strategy
 * cannot read (SPEC.UNKNOWN_COLUMN, SPEC.UNSUPPORTED_COLUMN_TYPE), so that ingest can stop
 * before decoding a single value. The type test builds the strategy's own reader on an empty
 * column, so it accepts exactly the types assignment accepts, never a different list.
 */
export function checkSpecColumns(
  fields: readonly { readonly name: string; readonly type: DataType }[],
  spec: SplitSpec,
): void {
  for (const used of specColumns(spec)) {
    const found = fields.find((f) => f.name === used.name);
    if (!found) {
      throw unknownColumn(
        used.field,
        used.name,
        fields.map((f) => f.name),
      );
    }
    const empty = flattenColumn(found.name, found.type, [], 0);
    if (used.field === 'orderBy') orderReader(empty);
    else keyReader(empty, used.role);
  }
}
