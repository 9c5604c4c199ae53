/**
 * Split quality (means over seeds 0–4; 4 classes leaning 70 % toward `a`) of stratified-group against scikit-learn's StratifiedGroupKFold and the plain
 * group strategy on one synthetic grouped dataset: the mean absolute deviation of each split's
 * class shares from the dataset's, and of the achieved ratios from the asked ones.
 *   npx tsx bench/quality/stratified-group.ts   (needs the peers' venv: bash bench/venv.sh)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FlatColumn, flattenTable } from '../../functions/core/arrow/flat-column.js';
import { ingest } from '../../functions/core/ingest/index.js';
import { assignSplits } from '../../functions/core/split/assign.js';
import { streamFor } from '../../functions/core/split/prng.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SplitSpec } from '../../schemas/spec.js';

/** Two shapes: many small groups, and few big ones that can't match the ratios closely. */
const DATASETS = [
  { rows: 50_000, biggest: 200 },
  { rows: 5_000, biggest: 600 },
] as const;
const SEEDS = [0, 1, 2, 3, 4];
const CLASSES = ['a', 'b', 'c', 'd'];
const root = join(import.meta.dirname, '../..');

/** Groups of skewed sizes (1 to `biggest` rows), each with its own leaning toward one label. */
function dataset(rows: number, biggest: number): { csv: Uint8Array; group: number[]; label: number[] } {
  const prng = streamFor(2026, 'bench/stratified-group');
  const group: number[] = [];
  const label: number[] = [];
  for (let g = 0; group.length < rows; g++) {
    const size = Math.min(rows - group.length, 1 + Math.floor(biggest / (1 + prng.below(40))));
    const lean = prng.below(100) < 70 ? 0 : 1 + prng.below(3);
    for (let i = 0; i < size; i++) {
      group.push(g);
      label.push(prng.below(100) < 60 ? lean : prng.below(4));
    }
  }
  const lines = ['group,label', ...group.map((g, i) => `g${g},${CLASSES[label[i]!]}`)];
  return { csv: new TextEncoder().encode(`${lines.join('\n')}\n`), group, label };
}

/** Mean over positive-ratio splits and classes of |class share in split − class share overall|. */
function quality(splitOf: ArrayLike<number>, label: number[], ratios: readonly number[]) {
  const n = label.length;
  const rows = [0, 0, 0];
  const counts = CLASSES.map(() => [0, 0, 0]);
  for (let i = 0; i < n; i++) {
    rows[splitOf[i]!]!++;
    counts[label[i]!]![splitOf[i]!]!++;
  }
  let classDev = 0;
  let cells = 0;
  const live = [0, 1, 2].filter((k) => ratios[k]! > 0);
  counts.forEach((row) => {
    const overall = (row[0]! + row[1]! + row[2]!) / n;
    for (const k of live) {
      classDev += Math.abs((rows[k] ? row[k]! / rows[k]! : 0) - overall);
      cells++;
    }
  });
  const ratioDev = live.reduce((a, k) => a + Math.abs(rows[k]! / n - ratios[k]!), 0) / live.length;
  return { classDev: classDev / cells, ratioDev };
}

/** Each row's split under a splitvault strategy (the engine's own assignment stage). */
function splitvault(columns: FlatColumn[], strategy: string, seed: number, ratios: readonly number[]) {
  const spec = SplitSpec.parse({
    strategy,
    seed,
    groupBy: 'group',
    ...(strategy === 'stratified-group' ? { stratifyBy: 'label' } : {}),
    ratios: { train: ratios[0], validation: ratios[1], test: ratios[2] },
  });
  const n = columns[0]!.length;
  const indices = assignSplits(columns, n, spec);
  const splitOf = new Uint8Array(n);
  SPLIT_NAMES.forEach((name, k) => {
    for (const row of indices[name]) splitOf[row] = k;
  });
  return splitOf;
}

async function main() {
  console.log(
    '| dataset | ratios | splitter | class-share MAD | ratio MAD |\n| --- | --- | --- | --- | --- |',
  );
  for (const shape of DATASETS) await compare(shape.rows, shape.biggest);
}

async function compare(rowCount: number, biggest: number) {
  const { csv, group, label } = dataset(rowCount, biggest);
  const { table } = await ingest(csv, { format: 'csv' });
  const columns = flattenTable(table);
  const work = mkdtempSync(join(tmpdir(), 'splitvault-sg-bench-'));
  const path = join(work, 'grouped.csv');
  writeFileSync(path, csv);
  const python = execFileSync('bash', [join(root, 'bench/venv.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  const shape = `${rowCount} rows, ${new Set(group).size} groups`;
  for (const [k, ratios] of [
    [10, [0.8, 0.1, 0.1]],
    [5, [0.6, 0.2, 0.2]],
  ] as const) {
    const sk: Record<string, number[]> = JSON.parse(
      execFileSync(
        python,
        [join(root, 'bench/peers/sklearn-stratified-group.py'), path, String(k), ...SEEDS.map(String)],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 28,
        },
      ),
    );
    const rows: [string, { classDev: number; ratioDev: number }[]][] = [
      ['scikit-learn StratifiedGroupKFold', SEEDS.map((s) => quality(sk[s]!, label, ratios))],
    ];
    for (const strategy of ['stratified-group', 'group']) {
      const qs = SEEDS.map((seed) => quality(splitvault(columns, strategy, seed, ratios), label, ratios));
      rows.push([`splitvault ${strategy}`, qs]);
    }
    for (const [name, qs] of rows) {
      const mean = (f: (q: { classDev: number; ratioDev: number }) => number) =>
        (qs.reduce((a, q) => a + f(q), 0) / qs.length).toFixed(5);
      console.log(
        `| ${shape} | ${ratios.join('/')} | ${name} | ${mean((q) => q.classDev)} | ${mean((q) => q.ratioDev)} |`,
      );
    }
  }
}

main();
