import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
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

  it('reads a range of more than 2 GiB, which one read call of Node would abort the process on', async () => {
    // Sparse: the file takes no disk, and reads as zeros but for its last bytes.
    const path = join(dir, 'big.bin');
    const size = 2 ** 31 + 16;
    writeFileSync(path, '');
    truncateSync(path, size);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from('tail'), 0, 4, size - 4);
    closeSync(fd);
    const source = await FileDatasetSource.open([path]);
    try {
      const bytes = await source.readRange(0, 8, size);
      expect(bytes.length).toBe(size - 8);
      expect(Buffer.from(bytes.subarray(bytes.length - 4)).toString()).toBe('tail');
    } finally {
      await source.close();
      rmSync(path);
    }
  }, 60_000);

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
