import { expect } from 'vitest';
import type { FlatColumn } from '../../../../functions/core/arrow/flat-column.js';
import { SplitvaultError } from '../../../../functions/core/errors.js';
import { classSharesOf } from '../../../../functions/core/manifest.js';
import {
  assignShards,
  type ShardInput,
  summarizeShard,
} from '../../../../functions/core/shard/sharded-assign.js';
import { decodeSummary, encodeSummary } from '../../../../functions/core/shard/summary-codec.js';
import { assignSplitsWithClasses } from '../../../../functions/core/split/assign.js';
import { SPLIT_NAMES, type SplitName } from '../../../../schemas/common.js';
import type { SplitSpec } from '../../../../schemas/spec.js';

/** What an engine made of (dataset, spec): each split's rows in output order, or its error. */
export type Outcome =
  | {
      readonly indices: Record<SplitName, Uint32Array>;
      readonly classes?: unknown;
      readonly classShares?: unknown;
    }
  | { readonly error: { name: string; code: string; message: string; details: unknown } };

function failure(err: unknown): Outcome {
  if (!(err instanceof SplitvaultError)) throw err;
  return { error: { name: err.name, code: err.code, message: err.message, details: err.details } };
}

/** The one-process engine on the whole table. */
export function wholeOutcome(columns: readonly FlatColumn[], rows: number, spec: SplitSpec): Outcome {
  try {
    const { indices, classes } = assignSplitsWithClasses(columns, rows, spec);
    if (!classes) return { indices };
    const sizes = SPLIT_NAMES.map((k) => indices[k].length) as [number, number, number];
    return { indices, classes, classShares: classSharesOf(classes.keys, classes.counts, sizes) };
  } catch (err) {
    return failure(err);
  }
}

/**
 * The sharded engine as a driver would run it: summarize each shard (first error wins, as the
 * driver stops there), optionally through the summary's bytes, then combine. Also checks that
 * rowsOf, startOf, counts and shuffledOrder agree with one another.
 */
export function shardedOutcome(shards: readonly ShardInput[], spec: SplitSpec, viaBytes: boolean): Outcome {
  try {
    const summaries = shards.map((shard) => {
      const summary = summarizeShard(shard, spec);
      return viaBytes ? decodeSummary(encodeSummary(summary)) : summary;
    });
    const result = assignShards(summaries, spec);
    const indices = {} as Record<SplitName, Uint32Array>;
    for (const split of SPLIT_NAMES) {
      const inSourceOrder: number[] = [];
      let first = 0;
      shards.forEach((shard, s) => {
        expect(result.startOf(s, split)).toBe(inSourceOrder.length);
        for (const r of result.rowsOf(s, split)) inSourceOrder.push(first + r);
        first += shard.rows;
      });
      expect(inSourceOrder.length).toBe(result.counts[split]);
      const shuffled = result.shuffledOrder(split);
      if (spec.shuffle) {
        expect(Array.from(shuffled!).sort((a, b) => a - b)).toEqual(inSourceOrder);
        indices[split] = shuffled!;
      } else {
        expect(shuffled).toBeUndefined();
        indices[split] = Uint32Array.from(inSourceOrder);
      }
    }
    expect(result.rows).toBe(shards.reduce((a, s) => a + s.rows, 0));
    return result.classes
      ? { indices, classes: result.classes, classShares: result.classShares }
      : { indices };
  } catch (err) {
    return failure(err);
  }
}
