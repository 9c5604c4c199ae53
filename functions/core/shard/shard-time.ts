import { DatasetError, type SplitvaultError, ValidationError } from '../errors.js';
import { splitByPosition } from '../split/random.js';
import { badOrderValue } from '../split/time.js';
import type { Ratios, SplitOfRow } from '../split/types.js';
import { mergeRuns } from './merge-runs.js';
import { rowComparator } from './order-values.js';
import type { Refusal, ShardSummary } from './shard-summary.js';

/** A recorded refusal as the error the one-process engine would have thrown. */
export function refusalError(r: Refusal): SplitvaultError {
  const options = { details: r.details };
  return r.kind === 'invalid'
    ? new ValidationError(r.code, r.message, options)
    : new DatasetError(r.code, r.message, options);
}

/**
 * time across shards: the first refused row of the first shard that has one (the row the
 * whole-table scan meets first), else a k-way merge of the shards' sorted rows. Ties across
 * shards go to the earlier shard, which holds the smaller row number, so the merged order is
 * the whole table's order (value, then row). Holds 4 bytes a row (the order).
 */
export function timeSplitOf(summaries: readonly ShardSummary[], n: number, ratios: Ratios): SplitOfRow {
  let offset = 0;
  for (const s of summaries) {
    if (s.order?.bad) throw badOrderValue(s.order.column, offset + s.order.bad.row + 1, s.order.bad.nan);
    offset += s.rows;
  }
  const present = summaries.filter((s) => s.rows > 0);
  const firstRow: number[] = [];
  let at = 0;
  for (const s of summaries) {
    if (s.rows > 0) firstRow.push(at);
    at += s.rows;
  }
  const sorted = present.map((s) => s.order!.sorted);
  const byValue = rowComparator(present.map((s) => s.order!.values));
  const order = new Uint32Array(n);
  let p = 0;
  mergeRuns(
    sorted.map((r) => r.length),
    (a, i, b, j) => byValue(a, sorted[a]![i]!, b, sorted[b]![j]!),
    (run, i) => {
      order[p++] = firstRow[run]! + sorted[run]![i]!;
    },
  );
  return splitByPosition(order, ratios);
}
