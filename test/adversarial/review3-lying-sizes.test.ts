/**
 * The plan cuts a Parquet file into shards by the footer's total_uncompressed_size (ColumnMetaData
 * field 6), a claim nothing checks: the reader decodes by the page headers. A footer that claims
 * every column chunk is 1 byte makes the whole file one shard, whose slice copies every chunk:
 * a shard then holds the whole upload (5 GB of row groups: 5 GB in one shard thread or Lambda),
 * whatever the budget. What a shard reads should be bounded by what it is planned to hold —
 * e.g. cut by the compressed bytes it will copy (field 7, checked against the file) as well.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestColumns } from '../../functions/core/ingest/index.js';
import { readFooterLayout } from '../../functions/core/ingest/parquet-footer.js';
import { planShards, scanShard } from '../../functions/core/shard/shard-ingest.js';
import { editFooter, metadataOf } from '../core/shard/support/footer-edit.js';
import { memorySource } from '../core/shard/support.js';
import { twentyRowGroupParquet } from './support/twenty-row-groups.js';

let bytes: Uint8Array;
beforeAll(() => {
  bytes = twentyRowGroupParquet();
}, 60_000);

/** ColumnMetaData.total_uncompressed_size of every chunk: [4, group, 1, column, 3, 6]. */
const isUncompressedSize = (p: readonly number[]) =>
  p.length === 6 && p[0] === 4 && p[2] === 1 && p[4] === 3 && p[5] === 6;

describe('a Parquet file whose footer understates its row groups’ sizes', () => {
  it('is still cut into shards that each read about their target, not the whole file', async () => {
    const hostile = editFooter(bytes, { int: (p, v) => (isUncompressedSize(p) ? 1 : v) });
    // Whole-file ingest reads it as it reads the honest file: the claim changes nothing it decodes.
    expect((await ingestColumns(hostile, { format: 'parquet' })).rows).toBe(20_000);
    const groups = readFooterLayout(metadataOf(bytes)).chunks.map((places) =>
      places.reduce((sum, p) => sum + p.compressedSize, 0),
    );
    const target = 2 * Math.max(...groups);
    const plan = await planShards(memorySource([hostile]), { targetShardBytes: target });
    let most = 0;
    for (const shard of plan.shards) {
      const source = memorySource([hostile]);
      await scanShard(source, plan, shard.index);
      most = Math.max(
        most,
        source.ranges.reduce((sum, [, start, end]) => sum + end - start, 0),
      );
    }
    // A shard may pass its target by one row group, plus the footer and the magics.
    expect({
      shards: plan.shards.length > 1,
      mostRead: most <= target + Math.max(...groups) + metadataOf(hostile).length + 64,
    }).toEqual({
      shards: true,
      mostRead: true,
    });
  });
});
