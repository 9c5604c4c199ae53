import { median } from '../lib/stats.js';
import type { ScaleCase } from '../scale/scale-results.js';
import { fixed, mbps, mib, table } from './format.js';

/** The wall-time targets at 10M rows: the peer's time over splitvault's, at least. */
const TARGET_RATIO: Readonly<Record<string, number>> = { polars: 1.3, 'pandas+sklearn': 3 };

const wall = (c: ScaleCase) => median(c.samples.map((s) => s.wallSeconds));
const peak = (c: ScaleCase) => median(c.samples.map((s) => s.peakRssBytes));
const loads = (cases: readonly ScaleCase[]) => {
  const all = cases.flatMap((c) => c.samples.map((s) => s.load));
  return all.length ? `${fixed(Math.min(...all), 1)}–${fixed(Math.max(...all), 1)}` : 'n/a';
};

function gridTable(ours: readonly ScaleCase[]): string {
  const body = ours.map((c) => {
    const budget = c.budgetBytes!;
    const ids = new Set(
      ours
        .filter((o) => o.rows === c.rows && o.format === c.format)
        .flatMap((o) => o.samples.map((s) => s.manifestId)),
    );
    return [
      c.rows.toLocaleString('en-US'),
      c.format,
      String(c.files),
      mib(c.inputBytes),
      String(c.workers),
      c.engine ?? '',
      String(c.samples.length),
      `${fixed(wall(c), 1)} s`,
      mbps(c.inputBytes, wall(c)),
      mib(peak(c)),
      mib(median(c.samples.map((s) => s.idleRssBytes ?? 0))),
      `${mib(budget)} (${fixed((100 * peak(c)) / budget, 0)}%)`,
      ids.size === 1 ? `same (${[...ids][0]!.slice(0, 8)}…)` : `DIFFER (${ids.size})`,
      loads([c]),
    ];
  });
  return table(
    [
      'rows',
      'format',
      'files',
      'input',
      'workers',
      'engine',
      'runs',
      'freeze (wall)',
      'MB/s',
      'peak RSS',
      'idle RSS',
      'budget (peak share)',
      'manifest across runs',
      'load (1 min)',
    ],
    body,
  );
}

function compareTable(cases: readonly ScaleCase[]): string[] {
  const ours = cases.filter((c) => c.contender === 'splitvault');
  const best = ours.reduce((a, b) => ((b.workers ?? 0) > (a.workers ?? 0) ? b : a));
  const body = cases.map((c) => [
    c.contender === 'splitvault'
      ? `splitvault, ${c.workers} worker${c.workers === 1 ? '' : 's'}`
      : c.contender,
    String(c.samples.length),
    `${fixed(wall(c), 2)} s`,
    c.samples.some((s) => s.cpuSeconds === undefined)
      ? 'n/a'
      : `${fixed(median(c.samples.map((s) => s.cpuSeconds!)), 2)} s`,
    mbps(c.inputBytes, wall(c)),
    mib(peak(c)),
    fixed(wall(c) / wall(best), 2),
  ]);
  const targets = cases
    .filter((c) => TARGET_RATIO[c.contender] !== undefined)
    .map((c) => {
      const ratio = wall(c) / wall(best);
      const want = TARGET_RATIO[c.contender]!;
      return `${c.contender} ${fixed(ratio, 2)}× (target ≥${want}×: ${ratio >= want ? 'met' : 'missed'})`;
    });
  return [
    table(
      ['contender', 'runs', 'wall', 'CPU', 'MB/s (wall)', 'peak RSS', `× splitvault ${best.workers}w (wall)`],
      body,
    ),
    '',
    `Targets (wall time against splitvault with ${best.workers} workers): ${targets.join('; ') || 'n/a'}. Load (1 min) during these runs: ${loads(cases)}.`,
  ];
}

function dates(cases: readonly ScaleCase[]): string {
  const all = cases.flatMap((c) => c.samples.map((s) => s.date)).sort();
  return all.length ? `${all[0]} to ${all.at(-1)}` : 'n/a';
}

function sizesOf(cases: readonly ScaleCase[]): string {
  const rows = [...new Set(cases.map((c) => c.rows))].sort((a, b) => a - b);
  const name = (n: number) => n.toLocaleString('en-US');
  return rows.length > 1 ? `${name(rows[0]!)} to ${name(rows.at(-1)!)}` : name(rows[0] ?? 0);
}

function workersOf(ours: readonly ScaleCase[]): string {
  const counts = [...new Set(ours.map((c) => c.workers ?? 1))].sort((a, b) => a - b);
  return `${counts.join(' and ')} worker${counts.length === 1 && counts[0] === 1 ? '' : 's'}`;
}

/** The scale part: the freeze grid, then the comparison with the peers at its sizes. */
export function scaleSection(cases: readonly ScaleCase[], header: string): string {
  const ours = cases.filter((c) => c.contender === 'splitvault');
  const commands = [...new Set(cases.map((c) => c.command))];
  const parts = [
    `## Freezing at scale (${sizesOf(cases)} rows): ${workersOf(ours)}, against polars and pandas+sklearn`,
    '',
    header,
    `- Dates: ${dates(cases)}`,
    '- Commands (each case keeps the one that measured it; rerunning one replaces only its cases):',
    ...commands.map((c) => `  - \`${c}\``),
    '',
    "Each splitvault run is one freeze on a fresh embedded server (`npm start`'s entry, 127.0.0.1) with",
    '`SPLITVAULT_WORKER_MEMORY` (the budget) and `SPLITVAULT_WORKERS` set: the files are hard-linked into the',
    'store and registered (one file through `POST /v1/uploads`, many through `POST /v1/datasets`), then',
    '`POST /v1/splits` (random 80/10/10, seed 42); "freeze" is the time from that request to the job\'s',
    'success (hash check of the input, the shard passes, three split files hashed and stored). Peak RSS is',
    "the server process's VmHWM (every thread of it); idle RSS is its RSS just before the job. The budget is",
    "the whole freeze's: the worker threads share it (each sizes its shards from budget ÷ workers), so the",
    'server\'s peak is held to the budget plus the idle server. "engine" is where the budget sends the',
    'dataset: the sharded engine when 4 × its size passes the budget (functions/jobs/freeze-sharded.ts).',
    'Peers run as in the comparison above (one process: read, split to the same sizes, write and hash',
    'three Arrow IPC files; wall time from outside, start-up included); a many-file Parquet dataset is its',
    "directory to them. splitvault's figure has no process start-up (the server is up) but includes the",
    "hash check of its input, which the peers do not make; its CPU time is the server's (all threads)",
    'during the job, from /proc (n/a for runs made before it was recorded). Generated data',
    '(bench/scale/scale_data.py: the rows of bench/generate.py; Parquet cut into equal files) is deleted',
    "after each size's runs.",
    '',
    gridTable(ours),
  ];
  const sizes = [...new Set(cases.filter((c) => c.contender !== 'splitvault').map((c) => c.rows))];
  for (const rows of sizes) {
    for (const format of ['csv', 'parquet'] as const) {
      const here = cases.filter((c) => c.rows === rows && c.format === format);
      if (!here.some((c) => c.contender !== 'splitvault') || !here.some((c) => c.contender === 'splitvault'))
        continue;
      parts.push(
        '',
        `### ${rows.toLocaleString('en-US')} rows, ${format} (${here[0]!.files} file${here[0]!.files === 1 ? '' : 's'}, ${mib(here[0]!.inputBytes)})`,
        '',
        ...compareTable(here),
      );
    }
  }
  return parts.join('\n');
}
