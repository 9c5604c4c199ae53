import type { Environment } from '../../schemas/records.js';
import type { BlobStore, LineageStore } from '../core/ports.js';
import type { ShardingDeps } from './freeze-sharded.js';
import type { LeaseOptions } from './job-lease.js';

/** What the freeze and verify use cases need; the worker's composition root builds it. */
export interface JobDeps {
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  /** The service's fingerprint recorded on every freeze event (version, commit, libraries). */
  readonly service: Environment;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Bytes of decoded data the engine may hold per freeze or verify (DATASET.TOO_LARGE_DECODED
   * past it). @default unlimited
   */
  readonly maxDecodedBytes?: number;
  /**
   * The memory budget and scratch disk of a sharded freeze; a dataset past the budget is frozen
   * in shards (freeze-sharded.ts). @default every dataset in one process
   */
  readonly sharding?: ShardingDeps;
  /** Where unexpected job failures are reported. @default JSON line on stderr */
  readonly log?: (line: Readonly<Record<string, unknown>>) => void;
  /** Lease, heartbeat and attempt limits of the runner. @default DEFAULT_LEASE */
  readonly lease?: Partial<LeaseOptions>;
}
