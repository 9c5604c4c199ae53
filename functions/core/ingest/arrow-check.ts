import { type Data, type Table, Type } from 'apache-arrow';
import { flatKind } from '../arrow/flat-column.js';
import { nestedBytes, nestedFault } from './arrow-check-nested.js';
import { offsetsFault } from './arrow-offsets.js';
import type { DecodeBudget } from './decode-budget.js';

type Offsets = Int32Array | BigInt64Array;

/**
 * Why one column chunk's buffers can't hold what its metadata claims, or undefined when they
 * can. apache-arrow views IPC buffers in place and clamps a range past the body to the body's
 * end, so a patched length or offset reads as a short buffer here, never as memory it owns;
 * the split engine, which sizes its output from offsets and lengths, must never see one.
 */
function chunkFault(data: Data): string | undefined {
  const end = data.offset + data.length;
  if (data.nullCount !== 0 && data.nullBitmap && data.nullBitmap.length > 0) {
    if (data.nullBitmap.length < (end + 7) >> 3) return 'its validity bitmap is shorter than its rows';
  }
  switch (flatKind(data.type)) {
    case 'fixed':
      return data.values.length < end * data.stride
        ? 'its values buffer is shorter than its rows'
        : undefined;
    case 'bool':
      return data.values.length < (end + 7) >> 3 ? 'its values bitmap is shorter than its rows' : undefined;
    case 'binary':
      return offsetsFault(data.valueOffsets as Offsets, data.offset, end, data.values.length);
  }
  return nestedFault(data, chunkFault);
}

/** The bytes one chunk's values occupy once flattened (data, offsets, bits, validity). */
function chunkBytes(data: Data, counted: WeakSet<object>): number {
  const bits = (data.length + 7) >> 3;
  const validity = data.nullCount === 0 ? 0 : bits;
  switch (flatKind(data.type)) {
    case 'fixed':
      return data.length * data.stride * data.values.BYTES_PER_ELEMENT + validity;
    case 'bool':
      return bits + validity;
    case 'binary': {
      const o = data.valueOffsets as Offsets;
      const large = data.type.typeId === Type.LargeUtf8 || data.type.typeId === Type.LargeBinary;
      const span = Number(o[data.offset + data.length]) - Number(o[data.offset]);
      return (data.length + 1) * (large ? 8 : 4) + span + validity;
    }
  }
  return nestedBytes(data, (d) => chunkBytes(d, counted), counted) + validity;
}

/**
 * Checks every column chunk the split engine reads against its buffers, then counts the
 * decoded size against the budget. Returns why the table is corrupt, or undefined; types the
 * engine can't split are left for flattening to refuse.
 */
export function arrowTableFault(table: Table, budget: DecodeBudget): string | undefined {
  let bytes = 0;
  // Batches share a dictionary until a delta or replacement: each one counts once.
  const counted = new WeakSet<object>();
  for (const [b, batch] of table.batches.entries()) {
    for (const [c, field] of table.schema.fields.entries()) {
      const data = batch.data.children[c];
      if (!data) return `record batch ${b} lacks column "${field.name}"`;
      if (data.length !== batch.numRows) {
        return `column "${field.name}" of record batch ${b} has ${data.length} rows, not ${batch.numRows}`;
      }
      const fault = chunkFault(data);
      if (fault) return `column "${field.name}" of record batch ${b}: ${fault}`;
      bytes += chunkBytes(data, counted);
    }
  }
  budget.take(bytes, 'the Arrow record batches');
  return undefined;
}
