/**
 * `npm run bench:leakage`: what the leakage report costs a freeze, as CPU time. Freezes one CSV
 * (BENCH_LEAKAGE_CSV, default bench/data/rows-<BENCH_ROWS>-seed-42/data.csv) with
 * `dedupe: "none"` and with the default report, BENCH_RUNS times each, alternating, and
 * prints the medians and each leakage stage alone (identities, identity sets, Merkle roots).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../functions/core/hash.js';
import { ingestColumns } from '../../functions/core/ingest/index.js';
import { crossSplitFacts } from '../../functions/core/leakage/cross-split.js';
import { merkleRoot } from '../../functions/core/leakage/merkle.js';
import { rowIdentities } from '../../functions/core/leakage/row-identity.js';
import { assignSplits } from '../../functions/core/split/assign.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SpecRequest } from '../../schemas/spec.js';
import { ROOT } from '../lib/paths.js';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const path = process.env.BENCH_LEAKAGE_CSV ?? join(ROOT, `bench/data/rows-${rows}-seed-42/data.csv`);
/** The whole file; readFileSync refuses more than 2 GiB, and the 10M CSV is 2.3 GiB. */
function readWhole(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  const out = new Uint8Array(fstatSync(fd).size);
  for (let at = 0; at < out.length; ) at += readSync(fd, out, at, Math.min(1 << 30, out.length - at), at);
  closeSync(fd);
  return out;
}
const bytes = readWhole(path);
const ref = { sha256: sha256Hex(bytes), bytes: bytes.length };
const base = {
  strategy: 'random',
  seed: 42,
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  format: 'csv',
};

/** CPU milliseconds (user + system) of `work`. */
async function cpu(work: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const none: number[] = [];
const report: number[] = [];
for (let run = 0; run < runs; run++) {
  none.push(await cpu(() => splitDataset(bytes, ref, SpecRequest.parse({ ...base, dedupe: 'none' }))));
  report.push(await cpu(() => splitDataset(bytes, ref, SpecRequest.parse(base))));
}
const { columns, rows: n } = await ingestColumns(bytes, { format: 'csv' });
const spec = SpecRequest.parse(base);
const indices = assignSplits(columns, n, spec);
const stages = { identities: [] as number[], sets: [] as number[], merkle: [] as number[] };
for (let run = 0; run < runs; run++) {
  let ids: Uint8Array = new Uint8Array(0);
  stages.identities.push(await cpu(() => (ids = rowIdentities(columns, n))));
  let sets: Record<string, Uint8Array> = {};
  stages.sets.push(await cpu(() => (sets = crossSplitFacts(ids, indices).sets)));
  stages.merkle.push(await cpu(() => Object.values(sets).map((s) => merkleRoot(s))));
}
const freeze = median(none);
const line = (name: string, ms: number) =>
  `${name.padEnd(22)} ${ms.toFixed(0).padStart(8)} ms  ${((ms * 1000) / n).toFixed(2)} µs/row  ${((100 * ms) / freeze).toFixed(1)} % of the freeze`;
console.log(`${n} rows, ${path}, ${runs} runs, medians of CPU time (user + system)`);
console.log(line('freeze, dedupe none', freeze));
console.log(line('freeze, report', median(report)));
console.log(line('overhead', median(report) - freeze));
console.log(line('  row identities', median(stages.identities)));
console.log(line('  identity sets, pairs', median(stages.sets)));
console.log(line('  Merkle roots', median(stages.merkle)));
