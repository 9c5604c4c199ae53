import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestColumns } from '../../../functions/core/ingest/index.js';
import {
  mergedSchema,
  mergeScans,
  planShards,
  readShard,
  scanShard,
} from '../../../functions/core/shard/shard-ingest.js';
import { expectSameAsWhole, memorySource, shardedIngest } from './support.js';

const here = import.meta.dirname;
const python = join(here, '../../../.tools/venv/bin/python');
const DATASETS = 6;
let dir = '';
const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const parts = (seed: number, ext: string) =>
  Array.from({ length: Number(readFileSync(join(dir, `${seed}.parts`), 'utf8')) }, (_, k) =>
    file(`${seed}-part${k}.${ext}`),
  );

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shard-binary-'));
  execFileSync(python, [join(here, 'make_binary.py'), dir, String(DATASETS)]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeds = fc.integer({ min: 0, max: DATASETS - 1 });
const target = fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 20_000 }));

describe.each([
  ['Parquet', 'parquet'],
  ['Parquet of flat columns', 'flat.parquet'],
  ['Arrow IPC file', 'arrow'],
  ['Arrow IPC stream', 'arrows'],
])('%s shards', (_, ext) => {
  it("give the whole file's columns, dictionaries unified across row groups or batches, at any shard size", async () => {
    await fc.assert(
      fc.asyncProperty(seeds, target, async (seed, bytes) => {
        await expectSameAsWhole([file(`${seed}-whole.${ext}`)], { targetShardBytes: bytes });
      }),
      { numRuns: 25 },
    );
  });

  it("give a many-file dataset's columns, one dictionary over every file", async () => {
    await fc.assert(
      fc.asyncProperty(seeds, target, async (seed, bytes) => {
        await expectSameAsWhole(parts(seed, ext), { targetShardBytes: bytes });
      }),
      { numRuns: 25 },
    );
  });
});

describe('binary shard plans', () => {
  it('cut a Parquet file at every row group when the target is one byte', async () => {
    const { plan, shards } = await shardedIngest([file('0-whole.parquet')], { targetShardBytes: 1 });
    expect(plan.shards.length).toBe(plan.files[0]!.groupRows!.length);
    expect(shards.map((s) => s.rows)).toEqual(plan.files[0]!.groupRows);
  });

  it('cut an Arrow file at every record batch when the target is one byte', async () => {
    const { plan } = await shardedIngest([file('1-whole.arrow')], { targetShardBytes: 1 });
    expect(plan.shards.length).toBeGreaterThan(1);
  });

  it("read an Arrow file shard from its record batches and the file's dictionaries, not the whole file", async () => {
    const bytes = file('2-whole.arrow');
    const source = memorySource([bytes]);
    const plan = await planShards(source, { targetShardBytes: 1 });
    const scans = [];
    for (const s of plan.shards) scans.push(await scanShard(source, plan, s.index));
    const merged = mergeScans(plan, scans);
    source.ranges.length = 0;
    const shard = await readShard(source, plan, merged, plan.shards.length - 1);
    expect(shard.rows).toBeLessThan((await ingestColumns(bytes)).rows);
    const read = source.ranges.reduce((sum, [, start, end]) => sum + end - start, 0);
    expect(read).toBeLessThan(bytes.length);
  });

  it('read an Arrow file whose footer schema differs from its schema message as the footer says, as ingest does', async () => {
    const sharded = await expectSameAsWhole([file('hybrid.arrow')], { targetShardBytes: 1 });
    expect(sharded?.plan.shards.length).toBe(3);
    expect(sharded && [...mergedSchema(sharded.merged).metadata]).toEqual([['k', 'w']]);
  });

  it('read an Arrow file written by apache-arrow JS, whose first footer block points at its schema message, to the same columns', async () => {
    const base = tableFromArrays({ a: Int32Array.from([1, 2, 3, 4, 5, 6]) });
    const batches = [0, 2, 4].flatMap((at) => base.slice(at, at + 2).batches);
    const bytes = tableToIPC(new Table(base.schema, batches), 'file');
    const sharded = await expectSameAsWhole([bytes], { targetShardBytes: 1 });
    expect(sharded?.shards.map((s) => s.rows)).toEqual([2, 2, 2]);
  });

  it.each(['parquet', 'arrow'])(
    'keep columns named "" and "null" apart through the passes (%s)',
    async (ext) => {
      const sharded = await expectSameAsWhole([file(`names.${ext}`)], { targetShardBytes: 1 });
      expect(sharded?.plan.shards.length).toBe(2);
    },
  );

  it('name the file at fault in a many-file dataset, as ingestParts does', async () => {
    const good = file('0-whole.parquet');
    await expectSameAsWhole([good, good.subarray(0, good.length - 3)], { targetShardBytes: 1 });
    await expectSameAsWhole([good, file('0-whole.arrow')], { targetShardBytes: 1 });
  });
});
