/**
 * Peak RSS of reading one CSV whole (ingestColumns) and in shards (plan, scan and read each
 * shard in turn, dropping it after), each in its own process: what bounded-memory ingest buys.
 *   npx tsx bench/shard/ingest-rss.ts [MEGABYTES=512] [SHARD_MIB=64]
 * Prints one JSON line per mode. The CSV is generated in a temporary directory and deleted.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [mode, path, shardMiB] = process.argv.slice(2);

async function child(): Promise<void> {
  const started = performance.now();
  let rows = 0;
  if (mode === 'whole') {
    const { ingestColumns } = await import('../../functions/core/ingest/index.js');
    rows = (await ingestColumns(new Uint8Array(readFileSync(path!)), { format: 'csv' })).rows;
  } else {
    const { FileDatasetSource } = await import('../../functions/adapters/local/file-dataset-source.js');
    const shard = await import('../../functions/core/shard/shard-ingest.js');
    const source = await FileDatasetSource.open([path!]);
    const plan = await shard.planShards(source, {
      format: 'csv',
      targetShardBytes: Number(shardMiB) * 2 ** 20,
    });
    const scans = [];
    for (const s of plan.shards) scans.push(await shard.scanShard(source, plan, s.index));
    const merged = shard.mergeScans(plan, scans);
    for (const s of plan.shards) rows += (await shard.readShard(source, plan, merged, s.index)).rows;
    await source.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ mode, rows, seconds: +seconds.toFixed(2), peakRssMiB: Math.round(peakMiB) }));
}

function generate(file: string, megabytes: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, 'id,user,score,when,note\n');
  let written = 0;
  let id = 0;
  while (written < megabytes * 2 ** 20) {
    let chunk = '';
    for (let i = 0; i < 10_000; i++, id++) {
      chunk += `${id},u${id % 9973},${(id % 1000) / 7},2024-01-${String((id % 28) + 1).padStart(2, '0')}T00:00:00Z,"note ${id}, ok"\n`;
    }
    written += writeSync(fd, chunk);
  }
  closeSync(fd);
}

async function main(): Promise<void> {
  if (mode === 'whole' || mode === 'sharded') return child();
  const megabytes = Number(process.argv[2] ?? 512);
  const shard = process.argv[3] ?? '64';
  const dir = mkdtempSync(join(tmpdir(), 'shard-rss-'));
  try {
    const file = join(dir, 'data.csv');
    generate(file, megabytes);
    for (const m of ['whole', 'sharded']) {
      const out = execFileSync('npx', ['tsx', import.meta.filename, m, file, shard], { encoding: 'utf8' });
      console.log(
        JSON.stringify({ megabytes, shardMiB: Number(shard), ...JSON.parse(out.trim().split('\n').at(-1)!) }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
