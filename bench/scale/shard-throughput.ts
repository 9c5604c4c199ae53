/**
 * Per-shard throughput of the sharded freeze's three shard tasks on one core, the inputs of
 * docs/SCALE.md (and the plan's rate: a text plan reads the whole dataset once to cut it): scan (cut, parse, infer, count), summarize (read the shard again and keep each
 * row's class, as a stratified spec does), and write-part (read the shard and encode its rows of
 * the three split files, 80/10/10), plus the SHA-256 and copy rates of a combine's sequential pass.
 *
 *   npx tsx bench/scale/shard-throughput.ts [SHARD_MIB=64,256] [FORMATS=csv,parquet]
 *
 * Each (format, shard size) runs in its own process (its peak RSS is its own) on the benchmark's
 * rows (bench/scale/scale_data.py), generated under a temporary directory and deleted after: one
 * CSV file cut into shards by byte range, or Parquet files of about one shard each (64k-row
 * groups), since a Parquet shard reads its whole file (functions/core/shard/binary-shards.ts).
 * Figures are input megabytes (10^6) per second of one shard, the median of the shards measured.
 * Prints one JSON line per case.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/paths.js';
import { generatorPython } from '../lib/python.js';
import { median } from '../lib/stats.js';

const MB = 1e6;
/** Shards measured per case: enough for a median, few enough for a shared machine. */
const SHARDS = 3;

async function child(format: 'csv' | 'parquet', shardMiB: number, files: string[]): Promise<void> {
  const { FileDatasetSource } = await import('../../functions/adapters/local/file-dataset-source.js');
  const ingest = await import('../../functions/core/shard/shard-ingest.js');
  const { summarizeShard } = await import('../../functions/core/shard/sharded-assign.js');
  const { SplitFileWriter } = await import('../../functions/core/arrow/split-writer.js');
  const { SplitSpec } = await import('../../schemas/spec.js');
  const source = await FileDatasetSource.open(files);
  const planStarted = performance.now();
  const plan = await ingest.planShards(source, { format, targetShardBytes: shardMiB * 2 ** 20 });
  // A text plan reads every file once, in order, to cut it at row boundaries.
  const planSeconds = (performance.now() - planStarted) / 1000;
  const time = async <T>(task: () => Promise<T> | T): Promise<[T, number]> => {
    const started = performance.now();
    const out = await task();
    return [out, (performance.now() - started) / 1000];
  };
  const scans = [];
  const scanSeconds: number[] = [];
  for (let s = 0; s < plan.shards.length; s++) {
    const [scan, seconds] = await time(() => ingest.scanShard(source, plan, s));
    scans.push(scan);
    scanSeconds.push(seconds);
  }
  const merged = ingest.mergeScans(plan, scans);
  const schema = ingest.mergedSchema(merged);
  const spec = SplitSpec.parse({
    strategy: 'stratified',
    seed: 42,
    ratios: { train: 0.8, validation: 0.1, test: 0.1 },
    stratifyBy: 'label',
  });
  const measured = Array.from({ length: Math.min(SHARDS, plan.shards.length - 1) }, (_, i) => i);
  const shardBytes: number[] = [];
  const summarize: number[] = [];
  const write: number[] = [];
  let partBytes = 0;
  for (const s of measured) {
    const shard = plan.shards[s]!;
    shardBytes.push(shard.kind === 'text' ? shard.end - shard.start : bytesOfBinary(plan, s));
    summarize.push(
      (await time(async () => summarizeShard(await ingest.readShard(source, plan, merged, s), spec)))[1],
    );
    const [bytes, seconds] = await time(async () => {
      const read = await ingest.readShard(source, plan, merged, s);
      const rows = Array.from({ length: read.rows }, (_, i) => i);
      const cut = [0, Math.floor(read.rows * 0.8), Math.floor(read.rows * 0.9), read.rows];
      let n = 0;
      for (let k = 0; k < 3; k++) {
        const writer = new SplitFileWriter(schema);
        for (const chunk of writer.append(read.columns, Uint32Array.from(rows.slice(cut[k], cut[k + 1]))))
          n += chunk.byteLength;
        for (const chunk of writer.finish()) n += chunk.byteLength;
      }
      return n;
    });
    write.push(seconds);
    partBytes += bytes;
  }
  const rate = (seconds: readonly number[]) =>
    +median(seconds.map((sec, i) => shardBytes[i]! / MB / sec)).toFixed(1);
  // The shard tasks' peak, before the buffers below add 512 MiB.
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  // A combine's sequential pass: SHA-256 over a split file's parts, and copying them.
  const buffer = new Uint8Array(256 * 2 ** 20).fill(7);
  const [, hashSeconds] = await time(() => createHash('sha256').update(buffer).digest());
  const [, copySeconds] = await time(() => Buffer.from(buffer));
  console.log(
    JSON.stringify({
      format,
      shardMiB,
      shards: plan.shards.length,
      planMBps: +(source.sizes.reduce((a, b) => a + b, 0) / MB / planSeconds).toFixed(1),
      measuredShardMB: +(median(shardBytes) / MB).toFixed(1),
      rowsPerShard: Math.round(merged.rows / plan.shards.length),
      scanMBps: +median(scanSeconds.map((sec, i) => bytesOf(plan, i) / MB / sec)).toFixed(1),
      summarizeMBps: rate(summarize),
      writePartMBps: rate(write),
      partBytesPerInputByte: +(partBytes / shardBytes.reduce((a, b) => a + b, 0)).toFixed(2),
      sha256MBps: +(buffer.byteLength / MB / hashSeconds).toFixed(0),
      copyMBps: +(buffer.byteLength / MB / copySeconds).toFixed(0),
      peakRssMiB,
    }),
  );
  await source.close();

  function bytesOf(p: typeof plan, s: number): number {
    const shard = p.shards[s]!;
    return shard.kind === 'text' ? shard.end - shard.start : bytesOfBinary(p, s);
  }
}

/** A binary shard's bytes: its share of its file, by rows (row groups are near-equal here). */
function bytesOfBinary(
  plan: { shards: readonly unknown[]; files: readonly { size: number; groupRows?: readonly number[] }[] },
  s: number,
): number {
  const shard = plan.shards[s] as { file: number; from: number; to: number };
  const file = plan.files[shard.file]!;
  const groups = file.groupRows ?? [file.size];
  const total = groups.reduce((a, b) => a + b, 0);
  const mine = groups.slice(shard.from, shard.to).reduce((a, b) => a + b, 0);
  return (file.size * mine) / total;
}

async function main(): Promise<void> {
  const [first, second, ...rest] = process.argv.slice(2);
  if (first === '--child') {
    return child(second as 'csv' | 'parquet', Number(rest[0]), rest.slice(1));
  }
  const sizes = (first ?? '64,256').split(',').map(Number);
  const formats = (second ?? 'csv,parquet').split(',');
  const python = generatorPython();
  for (const format of formats) {
    for (const size of sizes) {
      // SHARDS + 1 shards' worth of rows (a CSV row is about 245 bytes, a Parquet row 180); the
      // Parquet form is as many files, each about one shard: a Parquet shard reads its whole file.
      // Parquet files a little under the target, so that each is one shard, not one and a sliver.
      const fill = format === 'csv' ? 1 : 0.95;
      const rows = Math.ceil((fill * (SHARDS + 1) * size * 2 ** 20) / (format === 'csv' ? 245 : 180));
      const dir = mkdtempSync(join(tmpdir(), 'shard-throughput-'));
      try {
        const script = join(ROOT, 'bench', 'scale', 'scale_data.py');
        const args = [script, String(rows), '42', format, dir, String(SHARDS + 1), '65536'];
        const made = JSON.parse(execFileSync(python, args, { encoding: 'utf8' })) as {
          files: { path: string }[];
        };
        const out = execFileSync(
          process.execPath,
          [
            '--import',
            'tsx',
            import.meta.filename,
            '--child',
            format,
            String(size),
            ...made.files.map((f) => f.path),
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        );
        console.log(out.trim().split('\n').at(-1));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

await main();
