import type { SplitSpec, Strategy } from '../../../schemas/spec.js';
import type { FlatColumn } from '../arrow/flat-column.js';
import { type ErrorKind, SplitvaultError } from '../errors.js';
import { findColumn } from '../split/assign.js';
import { assignHash } from '../split/hash.js';
import { classify } from '../split/keys.js';
import { type ByteList, byteListOfLatin1 } from './byte-list.js';
import { type OrderSummary, orderSummary } from './order-values.js';

/** The summary layout this code writes and reads (summary-codec.ts puts it in the header). */
export const SUMMARY_VERSION = 1;

/** One shard's rows under the dataset's schema (structurally, shard-ingest's ShardColumns). */
export interface ShardInput {
  readonly rows: number;
  readonly columns: readonly FlatColumn[];
}

/** A column's keys in one shard: the distinct keys and, per row, which of them it holds. */
export interface KeyIds {
  /** The shard's distinct canonical keys (§2.3), bytewise ascending. */
  readonly keys: ByteList;
  /** Per shard row, the position of its key in `keys`. */
  readonly ids: Uint32Array;
}

/** An error a shard found but that must wait for the other shards to be raised in order. */
export interface Refusal {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * What assignment needs of one shard, and nothing else (plain data: structured-clone-able,
 * and summary-codec.ts turns it into bytes). Per row: nothing (random); 4 bytes, a key id
 * (stratified, group; 8 for stratified-group); 1 byte, the split (hash); 12 bytes, or 8 plus
 * the text, for time. Plus the shard's distinct keys once each.
 */
export interface ShardSummary {
  readonly version: typeof SUMMARY_VERSION;
  readonly strategy: Strategy;
  readonly rows: number;
  /** stratified, stratified-group: the stratifyBy keys. */
  readonly classes?: KeyIds;
  /** group, stratified-group: the groupBy keys. */
  readonly groups?: KeyIds;
  /** hash: each row's split (0 train, 1 validation, 2 test), final, since hash reads one row. */
  readonly splitOf?: Uint8Array;
  /** time: order values and the shard's rows in order. */
  readonly order?: OrderSummary;
  /** stratified-group: a groupBy type refused here, raised after the class count check. */
  readonly refusal?: Refusal;
}

function keyIds(col: FlatColumn, role: string): KeyIds {
  const { keys, classOf } = classify(col, role);
  return { keys: byteListOfLatin1(keys), ids: classOf };
}

function refusalOf(err: unknown): Refusal {
  if (!(err instanceof SplitvaultError)) throw err;
  return { kind: err.kind, code: err.code, message: err.message, details: err.details };
}

/** stratified-group: the one-process engine checks the class count before reading groupBy. */
function stratifiedGroupSummary(columns: readonly FlatColumn[], spec: SplitSpec) {
  const classCol = findColumn(columns, spec.stratifyBy, 'stratifyBy');
  const groupCol = findColumn(columns, spec.groupBy, 'groupBy');
  const classes = keyIds(classCol, 'a stratification column');
  try {
    return { classes, groups: keyIds(groupCol, 'a group key') };
  } catch (err) {
    return { classes, refusal: refusalOf(err) };
  }
}

function strategyFacts(columns: readonly FlatColumn[], spec: SplitSpec) {
  switch (spec.strategy) {
    case 'random':
      return {};
    case 'stratified':
      return {
        classes: keyIds(findColumn(columns, spec.stratifyBy, 'stratifyBy'), 'a stratification column'),
      };
    case 'group':
      return { groups: keyIds(findColumn(columns, spec.groupBy, 'groupBy'), 'a group key') };
    case 'stratified-group':
      return stratifiedGroupSummary(columns, spec);
    case 'hash': {
      const col =
        spec.key !== undefined
          ? findColumn(columns, spec.key, 'key')
          : findColumn(columns, spec.groupBy, 'groupBy');
      return { splitOf: assignHash(col, spec.ratios, spec.seed) };
    }
    case 'time':
      return { order: orderSummary(findColumn(columns, spec.orderBy, 'orderBy')) };
  }
}

/**
 * Pass 2 of the sharded engine (SPLIT-SPEC.md §9): the facts of one shard that assignShards
 * combines. Throws what the one-process engine throws from the schema alone
 * (SPEC.UNKNOWN_COLUMN, SPEC.UNSUPPORTED_COLUMN_TYPE); a refusal that depends on other shards'
 * rows (a null order value: which row is first?) is recorded and raised by assignShards. An
 * empty shard reads no column, as the one-process engine reads none of an empty dataset.
 */
export function summarizeShard(shard: ShardInput, spec: SplitSpec): ShardSummary {
  const base = { version: SUMMARY_VERSION, strategy: spec.strategy, rows: shard.rows } as const;
  if (shard.rows === 0) return base;
  return { ...base, ...strategyFacts(shard.columns, spec) };
}
