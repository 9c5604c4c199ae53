import { itemComparator, itemCount, latin1At } from './byte-list.js';
import { mergeRuns } from './merge-runs.js';
import type { KeyIds } from './shard-summary.js';

const NO_KEYS: KeyIds = {
  keys: { data: new Uint8Array(0), ends: new Uint32Array(0) },
  ids: new Uint32Array(0),
};

/** A column's keys numbered over the whole dataset: what classify gives on the whole column. */
export interface GlobalKeys {
  /** Distinct keys of all shards, bytewise ascending (only when asked: the key bytes). */
  readonly keys: readonly string[];
  readonly count: number;
  /** Per dataset row, its key's number in bytewise order. */
  readonly classOf: Uint32Array;
}

/**
 * Merges the shards' sorted distinct keys (a k-way merge, bytewise) into global numbers, then
 * maps each row's local id to its global number. Equal keys in several shards get one number,
 * so the numbering is classify's on the whole column. Holds 4 bytes a row (classOf) plus 4 a
 * distinct local key; key text only when `withKeys` (stratified-group's ≤ 256 class keys).
 */
export function mergeKeys(
  parts: readonly (KeyIds | undefined)[],
  rows: number,
  withKeys: boolean,
): GlobalKeys {
  const shards = parts.map((p) => p ?? NO_KEYS);
  const lists = shards.map((p) => p.keys);
  const compare = itemComparator(lists);
  const globalOf = lists.map((l) => new Uint32Array(itemCount(l)));
  const keys: string[] = [];
  let count = 0;
  let prev = -1;
  let prevAt = 0;
  mergeRuns(lists.map(itemCount), compare, (run, i) => {
    if (prev < 0 || compare(prev, prevAt, run, i) !== 0) {
      count++;
      if (withKeys) keys.push(latin1At(lists[run]!, i));
    }
    globalOf[run]![i] = count - 1;
    prev = run;
    prevAt = i;
  });
  const classOf = new Uint32Array(rows);
  let at = 0;
  shards.forEach((p, s) => {
    const map = globalOf[s]!;
    for (const id of p.ids) classOf[at++] = map[id]!;
  });
  return { keys, count, classOf };
}
