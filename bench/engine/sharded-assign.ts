/**
 * `npx tsx bench/engine/sharded-assign.ts [ROWS] [SHARDS]`: the sharded assignment (summaries,
 * then combine) against the one-process assignment on one synthetic CSV, per strategy: wall
 * time of each and the bytes of the encoded summaries. Prints a Markdown table; the same rows
 * come out of both (asserted), so only the cost differs.
 */
import { performance } from 'node:perf_hooks';
import { type FlatColumn, flattenColumn } from '../../functions/core/arrow/flat-column.js';
import { ingestColumns } from '../../functions/core/ingest/index.js';
import { assignShards, summarizeShard } from '../../functions/core/shard/sharded-assign.js';
import { encodeSummary } from '../../functions/core/shard/summary-codec.js';
import { assignSplits } from '../../functions/core/split/assign.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SplitSpec } from '../../schemas/spec.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const shardCount = Number(process.argv[3] ?? 8);

function csv(n: number): Uint8Array {
  const lines = ['id,g,c,s,t'];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    lines.push(`${i},${x % 100000},${x % 10},k${(i * 7919) % 50000},${x / 1000}`);
  }
  return new TextEncoder().encode(lines.join('\n'));
}

/** Rows [from, to) of the bench's columns (fixed and binary only). */
function slice(col: FlatColumn, from: number, to: number): FlatColumn {
  if (col.kind === 'fixed')
    return { ...col, length: to - from, bytes: col.bytes.slice(from * col.width, to * col.width) };
  if (col.kind === 'binary') {
    return {
      ...col,
      length: to - from,
      starts: col.starts.subarray(from, to),
      ends: col.ends.subarray(from, to),
    };
  }
  return flattenColumn(col.name, col.type, [], 0);
}

const ratios = { train: 0.8, validation: 0.1, test: 0.1 };
const SPECS = [
  { strategy: 'random' },
  { strategy: 'stratified', stratifyBy: 'c' },
  { strategy: 'group', groupBy: 'g' },
  { strategy: 'group', groupBy: 's' },
  { strategy: 'hash', key: 'id' },
  { strategy: 'time', orderBy: 't' },
  { strategy: 'time', orderBy: 's' },
  { strategy: 'stratified-group', stratifyBy: 'c', groupBy: 'g' },
  { strategy: 'random', shuffle: true },
].map((s) => SplitSpec.parse({ seed: 7, ratios, ...s }));

const { columns } = await ingestColumns(csv(rows), { format: 'csv' });
const bounds = Array.from({ length: shardCount + 1 }, (_, s) => Math.round((s * rows) / shardCount));
const shards = bounds.slice(1).map((to, s) => ({
  rows: to - bounds[s]!,
  columns: columns.map((c) => slice(c, bounds[s]!, to)),
}));

console.log(`| spec | one process (ms) | summarize, all shards (ms) | combine (ms) | summary bytes / row |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const spec of SPECS) {
  let t = performance.now();
  const whole = assignSplits(columns, rows, spec);
  const oneMs = performance.now() - t;
  t = performance.now();
  const summaries = shards.map((shard) => summarizeShard(shard, spec));
  const summarizeMs = performance.now() - t;
  t = performance.now();
  const sharded = assignShards(summaries, spec);
  const lists = SPLIT_NAMES.map((k) =>
    spec.shuffle ? sharded.shuffledOrder(k)! : shards.map((_, s) => sharded.rowsOf(s, k)),
  );
  const combineMs = performance.now() - t;
  const bytes = summaries.reduce((a, s) => a + encodeSummary(s).byteLength, 0);
  SPLIT_NAMES.forEach((k, i) => {
    const got = spec.shuffle
      ? (lists[i] as Uint32Array)
      : Uint32Array.from((lists[i] as Uint32Array[]).flatMap((l, s) => Array.from(l, (r) => r + bounds[s]!)));
    if (Buffer.compare(Buffer.from(got.buffer), Buffer.from(whole[k].buffer)) !== 0)
      throw new Error(`${k} differs`);
  });
  const name = `${spec.strategy} ${spec.stratifyBy ?? ''}${spec.groupBy ?? ''}${spec.key ?? ''}${spec.orderBy ?? ''}${spec.shuffle ? ' shuffle' : ''}`;
  console.log(
    `| ${name.trim()} | ${oneMs.toFixed(0)} | ${summarizeMs.toFixed(0)} | ${combineMs.toFixed(0)} | ${(bytes / rows).toFixed(2)} |`,
  );
}
