/**
 * The scale part of `npm run bench`: at each size and format, generate the dataset, freeze it on a
 * fresh embedded server at each worker count, run the peers on the same files at the comparison
 * sizes, then delete the data. At most one dataset (and one freeze's split files) is on disk at a
 * time: 50M rows are about 12 GB of CSV and 10 GB of split files.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { needsShards } from '../../functions/jobs/freeze-sharded.js';
import { PYTHON_PEERS, peerEnv } from '../compare/peers.js';
import type { CaseResult } from '../engine/case-result.js';
import type { BenchConfig, ScaleConfig } from '../lib/config.js';
import { ROOT } from '../lib/paths.js';
import { runChild } from '../lib/run-child.js';
import type { ScaleResults, ScaleSample } from './scale-results.js';
import { freezeOnServer } from './server-freeze.js';

export const SCALE_SPEC = { strategy: 'random', ratios: { train: 0.8, validation: 0.1, test: 0.1 } } as const;

interface ScaleData {
  readonly rows: number;
  readonly format: 'csv' | 'parquet';
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
}

function generate(python: string, rows: number, seed: number, format: string, dir: string, files: number) {
  rmSync(dir, { recursive: true, force: true });
  const script = join(ROOT, 'bench', 'scale', 'scale_data.py');
  const out = execFileSync(python, [script, String(rows), String(seed), format, dir, String(files)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ScaleData;
}

export interface ScaleRunOptions {
  readonly config: BenchConfig;
  readonly scale: ScaleConfig;
  readonly python: string;
  readonly outDir: string;
  readonly results: ScaleResults;
  /** The command line recorded with each case. */
  readonly command: string;
  /** Called after each sample, so the report is rewritten as the grid goes. */
  readonly onSample: () => void;
}

type SplitRows = ScaleSample['rows'];

/** Runs the grid; each dataset's files are deleted once its cases are measured, even on failure. */
export async function runScale(options: ScaleRunOptions): Promise<void> {
  const { config, scale, python, outDir } = options;
  for (const rows of scale.rows) {
    for (const format of scale.formats) {
      // Named by this process too: two runs at once must not delete each other's files.
      const dataDir = join(outDir, `data-${rows}-${format}-${process.pid}`);
      const runDir = join(outDir, `run-${process.pid}`);
      try {
        process.stderr.write(`scale: generating ${rows} rows of ${format}\n`);
        const data = generate(python, rows, config.seed, format, dataDir, scale.parquetFiles);
        await measureDataset(options, data, runDir);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(runDir, { recursive: true, force: true });
      }
    }
  }
}

async function measureDataset(options: ScaleRunOptions, data: ScaleData, runDir: string): Promise<void> {
  const { config, scale, python, results } = options;
  const inputBytes = data.files.reduce((sum, f) => sum + f.bytes, 0);
  const compared = scale.compareRows.includes(data.rows);
  const peers = compared ? PYTHON_PEERS.filter((p) => scale.peers.includes(p.name)) : [];
  const names = [...scale.workers.map((w) => `splitvault-${w}`), ...peers.map((p) => p.name)];
  const base = {
    rows: data.rows,
    format: data.format,
    files: data.files.length,
    inputBytes,
    command: options.command,
  };
  let want: SplitRows | undefined;
  for (let run = 0; run < (compared ? config.runs : 1); run++) {
    // Alternate the order so no contender always runs first.
    const order = names.map((_, i) => names[(i + run) % names.length]!);
    for (const name of order) {
      process.stderr.write(`scale: ${data.rows} rows ${data.format} ${name} run ${run + 1}\n`);
      const load = loadavg()[0]!;
      const date = new Date().toISOString();
      if (name.startsWith('splitvault-')) {
        const workers = Number(name.slice('splitvault-'.length));
        const got = await freezeOnServer({
          files: data.files,
          dataDir: join(runDir, 'server'),
          budgetBytes: scale.budgetBytes,
          workers,
          spec: { ...SCALE_SPEC, seed: config.seed, format: data.format },
          onStage: (line) => process.stderr.write(`  ${line}\n`),
        });
        if (got.state !== 'succeeded') throw new Error(`freeze failed: ${JSON.stringify(got.error)}`);
        const splits = got.splits as Record<keyof SplitRows, { rows: number }>;
        const rows = { train: splits.train.rows, validation: splits.validation.rows, test: splits.test.rows };
        want ??= rows;
        results.add(
          {
            ...base,
            contender: 'splitvault',
            workers,
            budgetBytes: scale.budgetBytes,
            engine: needsShards(inputBytes, scale.budgetBytes) ? 'sharded' : 'one-process',
          },
          {
            wallSeconds: got.freezeSeconds,
            cpuSeconds: got.cpuSeconds,
            peakRssBytes: got.peakRssBytes,
            idleRssBytes: got.idleRssBytes,
            ...(got.manifestId ? { manifestId: got.manifestId } : {}),
            rows,
            stages: got.stages,
            load,
            date,
          },
        );
      } else {
        if (!want) throw new Error('the peers need the split sizes of a splitvault run first');
        const peer = peers.find((p) => p.name === name)!;
        const sample = await runPeer(python, peer.script, data, config.seed, want, join(runDir, 'peer'));
        results.add({ ...base, contender: name }, { ...sample, load, date });
      }
      options.onSample();
    }
  }
}

async function runPeer(
  python: string,
  script: string,
  data: ScaleData,
  seed: number,
  want: SplitRows,
  out: string,
): Promise<Omit<ScaleSample, 'load' | 'date'>> {
  rmSync(out, { recursive: true, force: true });
  // A many-file Parquet dataset is its directory to polars and pandas, read in file-name order.
  const input = data.files.length === 1 ? data.files[0]!.path : dirname(data.files[0]!.path);
  try {
    const { wallSeconds, result } = await runChild<CaseResult>(
      python,
      [
        script,
        '--input',
        input,
        '--format',
        data.format,
        '--out',
        out,
        '--seed',
        String(seed),
        '--sizes',
        `${want.train},${want.validation},${want.test}`,
      ],
      { env: peerEnv() },
    );
    const rows = {
      train: result.splits.train.rows,
      validation: result.splits.validation.rows,
      test: result.splits.test.rows,
    };
    if (rows.train !== want.train || rows.validation !== want.validation || rows.test !== want.test)
      throw new Error(`${script} wrote ${JSON.stringify(rows)} rows, expected ${JSON.stringify(want)}`);
    return { wallSeconds, peakRssBytes: result.maxRssBytes, cpuSeconds: result.cpuSeconds, rows };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
