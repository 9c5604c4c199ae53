import { expect } from 'vitest';
import { encodeSplit } from '../../../functions/core/arrow/encode.js';
import {
  type IngestedColumns,
  type IngestOptions,
  ingestColumns,
} from '../../../functions/core/ingest/index.js';
import { ingestParts } from '../../../functions/core/ingest/many.js';
import {
  type DatasetSource,
  type MergedScan,
  mergedSchema,
  mergeScans,
  planShards,
  readShard,
  type ShardColumns,
  type ShardOptions,
  type ShardPlan,
  scanShard,
} from '../../../functions/core/shard/shard-ingest.js';

/** Files held in memory, read by range as the adapters will read them from disk or S3. */
export function memorySource(
  files: readonly Uint8Array[],
): DatasetSource & { ranges: [number, number, number][] } {
  const source = {
    ranges: [] as [number, number, number][],
    sizes: files.map((f) => f.length),
    async readRange(file: number, start: number, end: number): Promise<Uint8Array> {
      source.ranges.push([file, start, end]);
      if (start < 0 || end > files[file]!.length || start > end) throw new Error('read out of range');
      return files[file]!.slice(start, end);
    },
  };
  return source;
}

export const labels = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ sha256: `f${i}`, name: `part-${i}` }));

/** The whole dataset as ingest reads it today. */
export function wholeIngest(files: readonly Uint8Array[], options: IngestOptions): Promise<IngestedColumns> {
  return files.length === 1
    ? ingestColumns(files[0]!, options)
    : ingestParts(files, labels(files.length), options);
}

export interface Sharded {
  readonly plan: ShardPlan;
  readonly merged: MergedScan;
  readonly shards: ShardColumns[];
}

/** Plan, scan in order, merge, read in order: what a one-worker driver does. */
export async function shardedIngest(files: readonly Uint8Array[], options: ShardOptions): Promise<Sharded> {
  const source = memorySource(files);
  // Everything that crosses a worker boundary is structured-cloned, as worker_threads would.
  const plan = structuredClone(await planShards(source, { ...options, labels: labels(files.length) }));
  const scans = [];
  for (const shard of plan.shards) scans.push(structuredClone(await scanShard(source, plan, shard.index)));
  const merged = structuredClone(mergeScans(plan, scans));
  const shards = [];
  for (const shard of plan.shards) shards.push(await readShard(source, plan, merged, shard.index));
  return { plan, merged, shards };
}

const iota = (from: number, n: number) => Uint32Array.from({ length: n }, (_, i) => from + i);

async function outcome<T>(
  run: () => Promise<T>,
): Promise<{ ok: T } | { error: { code: unknown; message: string; details: unknown } }> {
  try {
    return { ok: await run() };
  } catch (error) {
    const e = error as { code?: unknown; message: string; details?: unknown };
    return { error: { code: e.code, message: e.message, details: e.details } };
  }
}

/**
 * Sharded ingest gives what whole-file ingest gives: the same refusal, or the same rows, where
 * each shard's columns encode (encodeSplit: schema, dictionaries, values, validity) to the same
 * bytes as the whole dataset's columns over the shard's row range.
 */
export async function expectSameAsWhole(
  files: readonly Uint8Array[],
  options: ShardOptions,
): Promise<Sharded | undefined> {
  const whole = await outcome(() => wholeIngest(files, options));
  const sharded = await outcome(() => shardedIngest(files, options));
  if ('error' in whole) {
    expect('error' in sharded ? sharded.error : 'no error').toEqual(whole.error);
    return undefined;
  }
  if ('error' in sharded)
    throw new Error(`sharded ingest refused what ingest reads: ${sharded.error.message}`);
  const { ok } = sharded;
  expect(ok.merged.rows).toBe(whole.ok.rows);
  const schema = mergedSchema(ok.merged);
  expect(schema.fields.map(String)).toEqual(whole.ok.schema.fields.map(String));
  for (const shard of ok.shards) {
    const mine = encodeSplit(schema, shard.columns, iota(0, shard.rows));
    const theirs = encodeSplit(whole.ok.schema, whole.ok.columns, iota(shard.firstRow, shard.rows));
    expect(Buffer.from(mine).equals(Buffer.from(theirs)), `shard ${shard.index}`).toBe(true);
  }
  return ok;
}
