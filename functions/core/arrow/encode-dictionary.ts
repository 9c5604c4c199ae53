import type { DictionaryColumn, FlatColumn } from './flat-column.js';

/** What a dictionary batch carries: the id the schema names, and the dictionary's entries of `values`. */
export type DictionaryMessage = Pick<DictionaryColumn, 'id' | 'values' | 'entries'>;

function children(col: FlatColumn): readonly FlatColumn[] {
  if (col.kind === 'list' || col.kind === 'fixed-list') return [col.child];
  if (col.kind === 'struct') return col.children;
  return [];
}

function collect(columns: readonly FlatColumn[], found: Map<number, DictionaryMessage>): void {
  for (const col of columns) {
    collect(children(col), found);
    if (col.kind === 'dictionary' && !found.has(col.id)) found.set(col.id, col);
  }
}

/**
 * The dictionaries a split file carries, in the order apache-arrow's writer emits them: fields
 * in schema order, a field's nested dictionaries before its own, each id once.
 */
export function splitDictionaries(columns: readonly FlatColumn[]): DictionaryMessage[] {
  const found = new Map<number, DictionaryMessage>();
  collect(columns, found);
  return [...found.values()];
}
