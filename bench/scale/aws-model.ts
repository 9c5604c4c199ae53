/**
 * The wall-time and cost model of docs/SCALE.md: a freeze of 1 GB, 100 GB and 1 TB on the Step
 * Functions state machine (Plan → ScanMap → Merge → SummarizeMap → Assign → WriteMap → Combine,
 * one invocation per split file at once → Manifest → Record), from the per-shard throughput
 * bench/scale/shard-throughput.ts measured (bench/scale/aws-model-inputs.jsonl holds the rates
 * SCALE.md's tables were printed from).
 *
 *   npx tsx bench/scale/aws-model.ts THROUGHPUT_JSONL [CONCURRENCY=20,1000] [MEMORY_MB=3008]
 *
 * Prints the Markdown tables SCALE.md shows. Every formula is here, in one place; the
 * assumptions that are not measured (S3 stream rate, per-task overhead) are named constants.
 */
import { readFileSync } from 'node:fs';
import { readAheadFor } from '../../functions/adapters/aws/s3-read-ahead.js';
import { shardLimits } from '../../functions/jobs/freeze-sharded.js';
import { fixed, table } from '../report/format.js';

/** List prices, us-east-1, as AWS publishes them (docs/SCALE.md gives the date). */
export const PRICES = {
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1e6,
  transition: 0.025 / 1000,
  s3Get: 0.0004 / 1000,
  s3Put: 0.005 / 1000,
  s3GbMonth: 0.023,
  dynamoWriteUnit: 0.625 / 1e6,
};

/** Not measured here (no AWS account): S3's guideline of 85–90 MB/s per request, one stream. */
export const S3_STREAM_MBPS = 90;
/**
 * Not published by AWS, not measured here: what one function's network carries with many
 * requests open, each way. Taken low on purpose; past it more streams buy nothing.
 */
export const LAMBDA_NETWORK_MBPS = 300;
/** Per shard task: the invoke, the child execution's start, reading the plan and merged scan. */
export const TASK_OVERHEAD_S = 0.5;
/** Per work object a coordinator reads or writes one after another (first-byte latency). */
export const REQUEST_S = 0.03;
/** S3 blob store's multipart part (functions/adapters/aws/s3-checksums.ts PART_BYTES). */
export const PART_BYTES = 8 * 2 ** 20;
export const LAMBDA_LIMIT_S = 900;
/** S3's most parts in one multipart upload. */
export const MAX_PARTS = 10_000;
/** Bytes per row of the benchmark's rows (bench/generate.py). */
const ROW_BYTES = { csv: 245, parquet: 180 } as const;
/** DynamoDB writes of one freeze: job progress notes (~20) and the record transaction (~10 items, 2 units each). */
const DYNAMO_WRITE_UNITS = 40;

export interface Rates {
  readonly format: 'csv' | 'parquet';
  readonly shardMiB: number;
  readonly scanMBps: number;
  readonly summarizeMBps: number;
  readonly writePartMBps: number;
  readonly partBytesPerInputByte: number;
  readonly sha256MBps: number;
  /** A text plan's cutting rate over the whole dataset (absent in older runs: the scan rate stands in). */
  readonly planMBps?: number;
}

export interface ModelRow {
  readonly bytes: number;
  readonly format: 'csv' | 'parquet';
  readonly concurrency: number;
  readonly shards: number;
  readonly shardMB: number;
  readonly steps: Readonly<Record<string, number>>;
  readonly wallS: number;
  readonly gbSeconds: number;
  readonly lambdaRequests: number;
  readonly transitions: number;
  readonly gets: number;
  readonly puts: number;
  readonly peakGetsPerS: number;
  readonly peakPutsPerS: number;
  readonly splitBytes: number;
  readonly largestSplitBytes: number;
  readonly rows: number;
  /** What the assign step holds per row: a 4-byte permutation entry and a 1-byte split. */
  readonly assignBytes: number;
  readonly cost: Readonly<Record<string, number>>;
}

const MB = 1e6;

/** One freeze of `bytes` of input, random strategy (stratified adds a read to the summarize map). */
export function model(
  bytes: number,
  rates: Rates,
  concurrency: number,
  memoryMb: number,
  stratified = false,
): ModelRow {
  const gb = memoryMb / 1024;
  const shard = shardLimits(memoryMb * 2 ** 20).targetShardBytes;
  const shards = Math.ceil(bytes / shard);
  // Long reads run `streams` ranged GETs at once (functions/adapters/aws/s3-read-ahead.ts), and
  // multipart uploads as many parts: up to the function's network.
  const { streams, rangeBytes } = readAheadFor(memoryMb * 2 ** 20);
  const wide = Math.min(streams * S3_STREAM_MBPS, LAMBDA_NETWORK_MBPS);
  const read = shard / MB / S3_STREAM_MBPS;
  // Per task: read its bytes by range (one stream: only the coordinator reads ahead), then
  // compute; results are small except parts, each one PutObject (one stream).
  const scan = TASK_OVERHEAD_S + read + shard / MB / rates.scanMBps;
  const summarize = TASK_OVERHEAD_S + (stratified ? read + shard / MB / rates.summarizeMBps : 0);
  const parts = shard * rates.partBytesPerInputByte;
  const write = TASK_OVERHEAD_S + read + shard / MB / rates.writePartMBps + parts / MB / S3_STREAM_MBPS;
  const waves = Math.ceil(shards / concurrency);
  const splitBytes = bytes * rates.partBytesPerInputByte;
  // One split file's combine, in its own invocation: its N parts read ahead twice (a first-byte
  // wait per part object), pass 1 hashing, pass 2 hashing twice (whole file and each 8 MiB
  // part's checksum) while uploading parts several at once.
  const combineOf = (fileBytes: number) =>
    2 * shards * REQUEST_S +
    fileBytes / MB / Math.min(wide, rates.sha256MBps) +
    fileBytes / MB / Math.min(wide, rates.sha256MBps / 2);
  const combines = [0.8, 0.1, 0.1].map((share) => combineOf(share * splitBytes));
  const steps = {
    // The whole dataset hashed in one read-ahead pass before anything is read by range; a CSV
    // is then read once more, in order, to cut it at row boundaries on one core (Parquet cuts
    // from its footers).
    plan:
      bytes / MB / Math.min(wide, rates.sha256MBps) +
      (rates.format === 'csv'
        ? bytes / MB / Math.min(wide, rates.planMBps ?? rates.scanMBps)
        : shards * REQUEST_S),
    scan: waves * scan,
    merge: shards * REQUEST_S,
    summarize: waves * summarize,
    assign: 2 * shards * REQUEST_S,
    write: waves * write,
    // The three split files at once (a Parallel state): the train file's invocation is the longest.
    combine: Math.max(...combines),
    // Reads the plan, merge, assignment and three combine results; writes the manifest.
    manifest: 7 * REQUEST_S,
    record: 1,
  };
  const wallS = Object.values(steps).reduce((a, b) => a + b, 0);
  const combineS = combines.reduce((a, b) => a + b, 0);
  const coordinatorS = steps.plan + steps.merge + steps.assign + combineS + steps.manifest + steps.record;
  const gbSeconds = gb * (shards * (scan + summarize + write) + coordinatorS);
  const lambdaRequests = 3 * shards + 8;
  // Parent: ten states and the Parallel's three branch tasks; each map child: one transition
  // to start it and one for its Task state.
  const transitions = 12 + 3 * shards * 2;
  const uploadParts = Math.ceil(splitBytes / PART_BYTES) + 3 * 2;
  const ranges = (n: number) => Math.ceil(n / rangeBytes);
  // GETs: scan 2/shard, merge 1, summarize 2 (+1), assign 1, write 4, combine 6 (3 parts,
  // twice, a GET per 8 MiB range of them); the plan's passes, a GET per range.
  const gets =
    shards * (2 + 1 + (stratified ? 3 : 2) + 1 + 4 + 6) +
    2 * ranges(splitBytes) +
    ranges(bytes) * (rates.format === 'csv' ? 2 : 1) +
    10;
  // PUTs: scan 1, summarize 1, slice 1, parts 3 per shard; multipart create/part/complete; small objects.
  const puts = shards * 6 + uploadParts + 10;
  const peakGetsPerS = Math.min(shards, concurrency) * (4 / write);
  const peakPutsPerS = Math.min(shards, concurrency) * (3 / write);
  const largestSplitBytes = splitBytes * 0.8;
  const workGbMonths = ((splitBytes / 1e9) * (wallS / 3600 + 24)) / 730;
  const cost = {
    lambda: gbSeconds * PRICES.lambdaGbSecond + lambdaRequests * PRICES.lambdaRequest,
    stepFunctions: transitions * PRICES.transition,
    s3: gets * PRICES.s3Get + puts * PRICES.s3Put + workGbMonths * PRICES.s3GbMonth,
    dynamo: DYNAMO_WRITE_UNITS * PRICES.dynamoWriteUnit,
  };
  return {
    bytes,
    format: rates.format,
    concurrency,
    shards,
    shardMB: shard / MB,
    steps,
    wallS,
    gbSeconds,
    lambdaRequests,
    transitions,
    gets,
    puts,
    peakGetsPerS,
    peakPutsPerS,
    splitBytes,
    largestSplitBytes,
    rows: Math.round(bytes / ROW_BYTES[rates.format]),
    assignBytes: (bytes / ROW_BYTES[rates.format]) * 5,
    cost,
  };
}

const size = (bytes: number) =>
  bytes >= 1e12 ? `${fixed(bytes / 1e12, 2)} TB` : `${fixed(bytes / 1e9, bytes < 10e9 ? 2 : 0)} GB`;
const minutes = (s: number) => (s < 120 ? `${fixed(s, 0)} s` : `${fixed(s / 60, 1)} min`);
const over = (s: number) => (s > LAMBDA_LIMIT_S ? `**${minutes(s)}** ⚠` : minutes(s));

function main(): void {
  const [path, concArg, memArg] = process.argv.slice(2);
  if (!path) throw new Error('usage: aws-model.ts THROUGHPUT_JSONL [CONCURRENCY=20,1000] [MEMORY_MB=3008]');
  const all = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rates);
  const memoryMb = Number(memArg ?? 3008);
  const shardMiB = shardLimits(memoryMb * 2 ** 20).targetShardBytes / 2 ** 20;
  // The measured shard size nearest the one this memory gives.
  const ratesOf = (format: 'csv' | 'parquet') =>
    all
      .filter((r) => r.format === format)
      .sort((a, b) => Math.abs(a.shardMiB - shardMiB) - Math.abs(b.shardMiB - shardMiB))[0]!;
  const rows: ModelRow[] = [];
  for (const concurrency of (concArg ?? '20,1000').split(',').map(Number))
    for (const bytes of [1e9, 1e11, 1e12])
      for (const format of ['csv', 'parquet'] as const)
        rows.push(model(bytes, ratesOf(format), concurrency, memoryMb));
  const ahead = readAheadFor(memoryMb * 2 ** 20);
  console.log(
    `Shard function and coordinator: ${memoryMb} MB; shards of ${fixed(shardMiB, 0)} MiB; ` +
      `${ahead.streams} S3 streams of ${ahead.rangeBytes / 2 ** 20} MiB at once, ` +
      `${Math.min(ahead.streams * S3_STREAM_MBPS, LAMBDA_NETWORK_MBPS)} MB/s.\n`,
  );
  console.log(
    table(
      [
        'input',
        'format',
        'MaxConcurrency',
        'shards',
        'rows',
        'assign memory',
        'train file',
        'plan',
        'scan map',
        'merge',
        'summarize map',
        'assign',
        'write map',
        'combine',
        'manifest',
        'wall (sum)',
      ],
      rows.map((r) => [
        size(r.bytes),
        r.format,
        String(r.concurrency),
        r.shards.toLocaleString('en-US'),
        `${fixed(r.rows / 1e6, 0)} M`,
        r.assignBytes > memoryMb * 2 ** 20 * 0.8 ? `**${size(r.assignBytes)}** ⚠` : size(r.assignBytes),
        r.largestSplitBytes > MAX_PARTS * PART_BYTES
          ? `**${size(r.largestSplitBytes)}** ⚠`
          : size(r.largestSplitBytes),
        over(r.steps.plan!),
        minutes(r.steps.scan!),
        over(r.steps.merge!),
        minutes(r.steps.summarize!),
        over(r.steps.assign!),
        minutes(r.steps.write!),
        over(r.steps.combine!),
        minutes(r.steps.manifest!),
        minutes(r.wallS),
      ]),
    ),
  );
  console.log('');
  console.log(
    table(
      [
        'input',
        'format',
        'MaxConcurrency',
        'Lambda GB-s',
        'invokes',
        'transitions',
        'S3 GET',
        'S3 PUT',
        'peak GET/s',
        'peak PUT/s',
        'split files',
        'Lambda $',
        'Step Functions $',
        'S3 $',
        'DynamoDB $',
        'total $',
      ],
      rows.map((r) => [
        size(r.bytes),
        r.format,
        String(r.concurrency),
        Math.round(r.gbSeconds).toLocaleString('en-US'),
        r.lambdaRequests.toLocaleString('en-US'),
        r.transitions.toLocaleString('en-US'),
        r.gets.toLocaleString('en-US'),
        r.puts.toLocaleString('en-US'),
        fixed(r.peakGetsPerS, 0),
        fixed(r.peakPutsPerS, 0),
        size(r.splitBytes),
        fixed(r.cost.lambda!, 3),
        fixed(r.cost.stepFunctions!, 3),
        fixed(r.cost.s3!, 3),
        fixed(r.cost.dynamo!, 5),
        fixed(
          Object.values(r.cost).reduce((a, b) => a + b, 0),
          2,
        ),
      ]),
    ),
  );
}

if (process.argv[1] === import.meta.filename) main();
