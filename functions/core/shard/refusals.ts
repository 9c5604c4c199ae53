import { DatasetError } from '../errors.js';

/**
 * DATASET.NOT_SHARDABLE: what shard ingest does not read yet. The dataset itself is fine; a
 * driver that meets this freezes it in one process (ingestColumns / ingestParts) instead.
 */
export function notShardable(why: string): DatasetError {
  return new DatasetError('DATASET.NOT_SHARDABLE', `the dataset can't be read in shards: ${why}`, {
    details: { reason: why },
  });
}
