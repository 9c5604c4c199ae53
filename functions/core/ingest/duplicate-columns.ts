import type { Schema } from 'apache-arrow';
import { DatasetError } from '../errors.js';

/**
 * Refuses a Parquet or Arrow schema that names one top-level column twice, before any data
 * is decoded. Arrow allows it, but a spec names columns, the manifest records them by name and
 * the split engine looks them up by name, so a repeated one would be ambiguous (CSV's header
 * is held to the same rule, CSV.DUPLICATE_COLUMN).
 */
export function refuseDuplicateColumns(schema: Schema): void {
  const seen = new Set<string>();
  for (const [index, field] of schema.fields.entries()) {
    if (seen.has(field.name)) {
      throw new DatasetError(
        'DATASET.DUPLICATE_COLUMN',
        `the dataset names column "${field.name}" more than once; column names must be unique`,
        { details: { column: field.name, index } },
      );
    }
    seen.add(field.name);
  }
}
