import type { DictionaryColumn, FlatColumn } from '../arrow/flat-column.js';
import { intReader, unsupportedColumn, validAt } from './column-values.js';

type KeyReader = (i: number) => string;

/**
 * A dictionary column keys by its values (SPLIT-SPEC.md §2.3): row i has the key of the
 * dictionary entry its index names, exactly the key the plain column holding those values gives,
 * and "n" when the row or the entry is null. Each entry's key is made once.
 */
export function dictionaryKeyReader(
  col: DictionaryColumn,
  role: string,
  valueKeys: (col: FlatColumn, role: string) => KeyReader,
): KeyReader {
  let entryKey: KeyReader;
  try {
    entryKey = valueKeys(col.values, role);
  } catch {
    // Values without a key (say decimals, for now) are refused naming the dictionary column.
    throw unsupportedColumn(role, col);
  }
  const keys = Array.from(col.entries, (entry) => entryKey(entry));
  const index = intReader(col.indices)!;
  const valid = validAt(col);
  return (i) => (valid(i) ? keys[Number(index(i))]! : 'n');
}
