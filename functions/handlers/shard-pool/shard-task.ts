/**
 * The shard tasks a pool thread runs: a freeze's per-shard steps (freeze-steps.ts) on the
 * stored dataset's files, read from disk by this thread itself.
 */
import { type StoredFile, StoredFileSource } from '../../adapters/local/stored-file-source.js';
import {
  type ShardContext,
  type ShardSlice,
  scanFreezeShard,
  summarizeFreezeShard,
  writeFreezeShard,
} from '../../core/shard/freeze-steps.js';
import type { MergedContext } from '../../core/shard/shard-tasks.js';

/** One per-shard step of a freeze, as the pool sends it (its context goes alongside). */
export type ShardTask =
  | { readonly kind: 'scan'; readonly shard: number }
  | { readonly kind: 'summarize'; readonly shard: number }
  | { readonly kind: 'write'; readonly slice: ShardSlice };

/** What a shard thread is started with. */
export interface ShardThreadData {
  readonly files: readonly StoredFile[];
}

/** The handler of one thread: every task reads through one source over the dataset's files. */
export function shardTaskHandler(files: readonly StoredFile[]) {
  const source = new StoredFileSource(files);
  return (task: ShardTask, context: ShardContext): Promise<unknown> => {
    switch (task.kind) {
      case 'scan':
        return scanFreezeShard(source, context.plan, task.shard);
      case 'summarize': {
        const { plan, merged, spec } = context as MergedContext;
        return summarizeFreezeShard(source, plan, merged, spec, task.shard);
      }
      case 'write': {
        const { plan, merged } = context as MergedContext;
        return writeFreezeShard(source, plan, merged, task.slice);
      }
    }
  };
}
