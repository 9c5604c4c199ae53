/**
 * The shard tasks a pool thread runs: a freeze's per-shard steps on the stored dataset's files,
 * read from disk by this thread itself.
 */

import type { SplitSpec } from '../../../schemas/spec.js';
import { type StoredFile, StoredFileSource } from '../../adapters/local/stored-file-source.js';
import { type MergedScan, readShard, type ShardPlan, scanShard } from '../../core/shard/shard-ingest.js';
import { summarizeShard } from '../../core/shard/sharded-assign.js';

/** One per-shard step of a freeze, as the pool sends it. */
export type ShardTask =
  | { readonly kind: 'scan'; readonly shard: number }
  | { readonly kind: 'summarize'; readonly shard: number };

interface Context {
  readonly plan: ShardPlan;
  readonly spec: SplitSpec;
  readonly merged?: MergedScan;
}

/** What a shard thread is started with. */
export interface ShardThreadData {
  readonly files: readonly StoredFile[];
}

/** The handler of one thread: every task reads through one source over the dataset's files. */
export function shardTaskHandler(files: readonly StoredFile[]) {
  const source = new StoredFileSource(files);
  return async (task: ShardTask, context: Context): Promise<unknown> => {
    switch (task.kind) {
      case 'scan':
        return scanShard(source, context.plan, task.shard);
      case 'summarize':
        return summarizeShard(
          await readShard(source, context.plan, context.merged!, task.shard),
          context.spec,
        );
    }
  };
}
