import {
  Dictionary,
  Field,
  FixedSizeList,
  Int8,
  Int16,
  Int32,
  List,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { encodeSplit } from '../../../functions/core/arrow/encode.js';
import { flattenTable } from '../../../functions/core/arrow/flat-column.js';

/**
 * The hex dump in docs/SPLIT-SPEC.md §6.7 is this file: a split of a list, a dictionary and a
 * struct-of-fixed-size-list column. The test keeps the document and the encoder in step.
 */
export function specVectorFile(): Uint8Array {
  const table = new Table({
    tokens: vectorFromArray([[1, 2], null, [3]], new List(new Field('item', new Int32(), true))),
    label: vectorFromArray(['b', 'a', null], new Dictionary(new Utf8(), new Int8(), 0)),
    point: vectorFromArray(
      [{ xy: [1, -1] }, { xy: [2, -2] }, null],
      new Struct([new Field('xy', new FixedSizeList(2, new Field('item', new Int16(), false)), false)]),
    ),
  });
  return encodeSplit(table.schema, flattenTable(table), Uint32Array.of(2, 0));
}

/** xxd-style lines: 8 hex digits of offset, a colon, then up to 16 bytes in hex. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, '0'));
    lines.push(`${at.toString(16).padStart(8, '0')}: ${row.join(' ')}`);
  }
  return lines.join('\n');
}
