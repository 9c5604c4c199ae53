import type { ColumnType, DatasetFormat } from '../../../schemas/spec.js';
import type { PartLabel } from '../ingest/many.js';

/** How to cut and read a dataset in shards. */
export interface ShardOptions {
  /** @default sniffed from the first file's leading bytes */
  readonly format?: DatasetFormat;
  /** CSV only. @default ',' */
  readonly delimiter?: ',' | '\t' | ';' | '|';
  /** CSV and JSON Lines: declared types that replace inference for the named columns. */
  readonly schema?: Readonly<Record<string, ColumnType>>;
  /**
   * Most bytes of decoded data one shard may allocate (what a worker holds at once); past it,
   * the shard is refused as whole-file ingest refuses the dataset. @default unlimited
   */
  readonly maxDecodedBytes?: number;
  /**
   * Bytes of input a shard aims at: text is cut at the first row boundary past it, Parquet
   * and Arrow take whole row groups or record batches until they pass it. @default 64 MiB
   */
  readonly targetShardBytes?: number;
  /** Bytes per read while cutting text files (small values exercise reads that split a row). @default 4 MiB */
  readonly readChunkBytes?: number;
  /** What error messages call each file of a many-file dataset (as ingestParts does). */
  readonly labels?: readonly PartLabel[];
}

export const DEFAULT_SHARD_BYTES = 64 * 2 ** 20;

/** A shard of a CSV or JSON Lines file: bytes [start, end) hold whole rows. */
export interface TextShard {
  readonly kind: 'text';
  readonly index: number;
  readonly file: number;
  readonly start: number;
  readonly end: number;
  /** The file's line number at `start` (1-based), for the messages that name a file's line. */
  readonly line: number;
  /** The line number at `start` in the one text the files stand for (docs/SPLIT-SPEC.md §7.3). */
  readonly joinedLine: number;
  /** The byte offset of `start` in the one text the files stand for (for errors' `offset`). */
  readonly joinedOffset?: number;
  /** First and last shard of its file: the first reports the file's UTF-8 fault, the last checks its header. */
  readonly firstOfFile: boolean;
  readonly lastOfFile: boolean;
}

/** A shard of a Parquet or Arrow file: its row groups or record batches [from, to). */
export interface BinaryShard {
  readonly kind: 'binary';
  readonly index: number;
  readonly file: number;
  readonly from: number;
  readonly to: number;
  /** The file's footer could not be read while planning: the shard is the whole file. */
  readonly whole: boolean;
  /**
   * What the plan weighed the shard at: its row groups' larger of compressed and uncompressed
   * bytes, its record batches' bytes, or (whole) the file's size. A row group or batch can't be
   * cut, so this may pass the target many times over.
   */
  readonly bytes: number;
}

export type Shard = TextShard | BinaryShard;

/** What planning learned about one file. */
export interface FilePlan {
  readonly size: number;
  /** CSV: the offset just past the header row (as join-text's afterHeader). */
  readonly headerEnd?: number;
  /** Text: the offset of the first byte that is not UTF-8, if any. */
  readonly utf8Fault?: number;
  /** JSON Lines: that fault's offset in the joined text (§7.3), which is what is reported. */
  readonly joinedFault?: number;
  /** Parquet: rows per row group (from the footer). */
  readonly groupRows?: readonly number[];
}

/** The dataset as an ordered list of shards (shard i's rows come before shard i + 1's). */
export interface ShardPlan {
  readonly format: DatasetFormat;
  readonly options: ShardOptions;
  readonly files: readonly FilePlan[];
  readonly shards: readonly Shard[];
}
