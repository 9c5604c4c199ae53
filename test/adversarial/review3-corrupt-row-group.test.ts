/**
 * A Parquet shard reads its own row groups' chunks and the footer (parquet-shard.ts), but when
 * decoding that slice fails for any reason but the decode budget, binary-shards.ts reads the
 * whole file instead "so a refusal is the one whole-file ingest gives". One damaged page is
 * enough: the shard then holds the whole file in memory (a 5 GB upload: 5 GB per shard thread
 * or shard Lambda, past any SPLITVAULT_WORKER_MEMORY), and a file with a damaged page in every
 * row group makes every shard do it. Memory must stay set by the shard, not the file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFooterLayout } from '../../functions/core/ingest/parquet-footer.js';
import { planShards, scanShard } from '../../functions/core/shard/shard-ingest.js';
import { metadataOf } from '../core/shard/support/footer-edit.js';
import { memorySource } from '../core/shard/support.js';
import { twentyRowGroupParquet } from './support/twenty-row-groups.js';

let bytes: Uint8Array;
beforeAll(() => {
  bytes = twentyRowGroupParquet();
}, 60_000);

describe('a shard of a Parquet file with a damaged page in its row group', () => {
  it('is refused after reading that row group’s chunks and the footer, not the whole file', async () => {
    const layout = readFooterLayout(metadataOf(bytes));
    expect(layout.chunks.length).toBe(20);
    // Row group 7's "s" chunk: its compressed page body overwritten past the page header.
    const chunk = layout.chunks[7]![1]!;
    const damaged = bytes.slice();
    damaged.fill(0xff, chunk.dataPageOffset + 40, chunk.dataPageOffset + chunk.compressedSize - 8);
    const groupBytes = layout.chunks[7]!.reduce((sum, p) => sum + p.compressedSize, 0);

    const planSource = memorySource([damaged]);
    const plan = await planShards(planSource, { targetShardBytes: 1 });
    expect(plan.shards.length).toBe(20);
    const source = memorySource([damaged]);
    const outcome = await scanShard(source, plan, 7).then(
      () => 'scanned',
      (error: { code?: string }) => error.code ?? 'error',
    );
    const read = source.ranges.reduce((sum, [, start, end]) => sum + end - start, 0);
    expect(outcome).not.toBe('scanned');
    // The two magics, the footer's length, the footer and the group's chunks.
    expect(read).toBeLessThanOrEqual(groupBytes + metadataOf(bytes).length + 64);
  });
});
