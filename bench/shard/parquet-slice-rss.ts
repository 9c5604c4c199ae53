/**
 * Peak RSS, wall time and bytes read of the sharded freeze of one big Parquet file under a
 * worker memory budget, in its own process: what reading a shard as its own row groups
 * (functions/core/ingest/parquet-slice.ts) buys over reading the whole file per shard.
 *   npx tsx bench/shard/parquet-slice-rss.ts [GIGABYTES=2.5] [BUDGET_MIB=1024] [CODE_ROOT=.]
 * CODE_ROOT runs another checkout's engine on the same file (an export of the commit before,
 * to measure "before"). The file is generated with pyarrow in a temporary directory and deleted.
 * Prints one JSON line. BENCH_LIMIT_SECONDS (default 3600) stops a run that takes longer.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [mode, ...args] = process.argv.slice(2);
const python = resolve('.tools/venv/bin/python');

async function child(path: string, sha256: string, budgetMiB: number, root: string): Promise<void> {
  const code = (p: string) => import(join(resolve(root), p));
  const { FileDatasetSource } = await code('functions/adapters/local/file-dataset-source.ts');
  const { freezeSharded } = await code('functions/core/shard/sharded-freeze.ts');
  const { shardLimits } = await code('functions/jobs/freeze-sharded.ts');
  const { SpecRequest } = await code('schemas/spec.ts');
  const files = await FileDatasetSource.open([path]);
  let read = 0;
  const source = {
    sizes: files.sizes,
    readRange: (file: number, start: number, end: number) => {
      read += end - start;
      return files.readRange(file, start, end);
    },
  };
  const spec = SpecRequest.parse({
    strategy: 'stratified',
    seed: 42,
    ratios: { train: 0.8, validation: 0.1, test: 0.1 },
    stratifyBy: 'label',
  });
  const hashes = {
    train: createHash('sha256'),
    validation: createHash('sha256'),
    test: createHash('sha256'),
  };
  const sink = {
    write: async (split: keyof typeof hashes, chunk: Uint8Array) => void hashes[split].update(chunk),
  };
  const started = performance.now();
  const manifest = await freezeSharded(
    source,
    { sha256, bytes: files.sizes[0] },
    spec,
    sink,
    shardLimits(budgetMiB * 2 ** 20),
  );
  const seconds = (performance.now() - started) / 1000;
  await files.close();
  console.log(
    JSON.stringify({
      root,
      fileBytes: files.sizes[0],
      rows: manifest.splits.train.rows + manifest.splits.validation.rows + manifest.splits.test.rows,
      budgetMiB,
      seconds: +seconds.toFixed(1),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      bytesRead: read,
      manifestId: manifest.id,
      train: hashes.train.digest('hex') === manifest.splits.train.sha256,
    }),
  );
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * 2 ** 20 })) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Runs the freeze in its own process, sampling its peak RSS from /proc: a run past the time
 * limit is stopped and reported with the peak so far and the shards it had read.
 */
async function runChild(path: string, sha256: string, budgetMiB: string, root: string, limitSeconds: number) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, 'child', path, sha256, budgetMiB, root],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, SPLITVAULT_WORKER_MEMORY: String(Number(budgetMiB) * 2 ** 20) },
    },
  );
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {}
    if (performance.now() - started > limitSeconds * 1000) child.kill('SIGTERM');
  }, 500);
  const [code, signal] = await once(child, 'exit');
  clearInterval(timer);
  if (code !== 0)
    console.log(
      JSON.stringify({
        root,
        stopped: signal ?? `exit ${code}`,
        seconds: +((performance.now() - started) / 1000).toFixed(1),
        peakRssMiB: Math.round(peak / 1024),
      }),
    );
}

async function main(): Promise<void> {
  if (mode === 'child') return child(args[0]!, args[1]!, Number(args[2]), args[3]!);
  const gigabytes = mode ?? '2.5';
  const budgetMiB = args[0] ?? '1024';
  const root = args[1] ?? '.';
  const dir = mkdtempSync(join(tmpdir(), 'parquet-slice-rss-'));
  try {
    const path = join(dir, 'big.parquet');
    execFileSync(python, [join(import.meta.dirname, 'big_parquet.py'), path, gigabytes], {
      stdio: 'inherit',
    });
    console.error(`generated ${statSync(path).size} bytes`);
    const sha256 = await sha256Of(path);
    await runChild(path, sha256, budgetMiB, root, Number(process.env.BENCH_LIMIT_SECONDS ?? 3600));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
