import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileDatasetSource } from '../../../functions/adapters/local/file-dataset-source.js';
import {
  mergedSchema,
  mergeScans,
  planShards,
  readShard,
  scanShard,
} from '../../../functions/core/shard/shard-ingest.js';

const dir = mkdtempSync(join(tmpdir(), 'shard-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileDatasetSource', () => {
  it('reads a two-file CSV dataset from disk in one-row shards', async () => {
    writeFileSync(join(dir, 'a.csv'), 'n,s\n1,x\n2,y\n');
    writeFileSync(join(dir, 'b.csv'), 'n,s\n3.5,"z\nw"\n');
    const source = await FileDatasetSource.open([join(dir, 'a.csv'), join(dir, 'b.csv')]);
    try {
      const plan = await planShards(source, { targetShardBytes: 1 });
      const scans = [];
      for (const shard of plan.shards) scans.push(await scanShard(source, plan, shard.index));
      const merged = mergeScans(plan, scans);
      expect(mergedSchema(merged).fields.map(String)).toEqual(['n: Float64', 's: Utf8']);
      const shards = await Promise.all(plan.shards.map((s) => readShard(source, plan, merged, s.index)));
      expect(shards.map((s) => [s.firstRow, s.rows])).toEqual([
        [0, 1],
        [1, 1],
        [2, 1],
      ]);
    } finally {
      await source.close();
    }
  });

  it('refuses a range past the end of a file that shrank', async () => {
    writeFileSync(join(dir, 'c.csv'), 'n\n1\n');
    const source = await FileDatasetSource.open([join(dir, 'c.csv')]);
    try {
      await expect(source.readRange(0, 0, 100)).rejects.toThrow(/ended at byte 4/);
    } finally {
      await source.close();
    }
  });
});
