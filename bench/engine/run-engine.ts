import { join } from 'node:path';
import type { Ceiling } from '../compare/run-compare.js';
import type { BenchConfig, BenchFormat } from '../lib/config.js';
import type { DatasetMeta } from '../lib/dataset.js';
import { runChild } from '../lib/run-child.js';
import { median } from '../lib/stats.js';
import type { CaseResult, SplitRows } from './case-result.js';

/** Medians of the engine's runs on one dataset file. */
export interface EngineFormatResult {
  readonly format: BenchFormat;
  readonly inputBytes: number;
  /** Median CPU seconds per stage, each stage timed on its own. */
  readonly stages: Readonly<Record<string, number>>;
  /** Median wall seconds per stage. */
  readonly stagesWall: Readonly<Record<string, number>>;
  /** End to end (file to three hashed Arrow files on disk), medians over the runs. */
  readonly e2e: {
    readonly wallSeconds: number;
    readonly innerSeconds: number;
    readonly cpuSeconds: number;
    readonly maxRssBytes: number;
    readonly splits: SplitRows;
  };
}

export interface EngineRowsResult {
  readonly rows: number;
  readonly arrowBytesInMemory: number;
  readonly formats: readonly EngineFormatResult[];
  /** SHA-256 and copy speed of one core on each input (bench/peers/ceiling.py). */
  readonly ceilings?: Readonly<Partial<Record<BenchFormat, Ceiling>>>;
}

/** Runs `node engine-case.mjs` once: the unit the peers' comparison reuses too. */
export function runEngineCase(
  caseFile: string,
  mode: 'e2e' | 'stages',
  file: string,
  format: string,
  seed: number,
  out?: string,
) {
  const args = [caseFile, '--mode', mode, '--input', file, '--format', format, '--seed', String(seed)];
  return runChild<CaseResult>(process.execPath, out ? [...args, '--out', out] : args);
}

function medianStages(runs: readonly CaseResult[], clock: 'wall' | 'cpu'): Record<string, number> {
  const names = Object.keys(runs[0]?.stages ?? {});
  return Object.fromEntries(
    names.map((name) => [name, median(runs.map((r) => r.stages?.[name]?.[clock] ?? NaN))]),
  );
}

/** Per stage and end to end, every case in a fresh process, `config.runs` times each. */
export async function runEngineBench(
  config: BenchConfig,
  meta: DatasetMeta,
  caseFile: string,
  outDir: string,
): Promise<EngineRowsResult> {
  const formats: EngineFormatResult[] = [];
  for (const format of config.formats) {
    const file = meta.files[format].path;
    const stageRuns: CaseResult[] = [];
    const e2eRuns: { wallSeconds: number; result: CaseResult }[] = [];
    for (let run = 0; run < config.runs; run++) {
      process.stderr.write(`engine: ${meta.rows} rows ${format} run ${run + 1}/${config.runs}\n`);
      stageRuns.push((await runEngineCase(caseFile, 'stages', file, format, config.seed)).result);
      e2eRuns.push(
        await runEngineCase(caseFile, 'e2e', file, format, config.seed, join(outDir, 'splitvault')),
      );
    }
    formats.push({
      format,
      inputBytes: meta.files[format].bytes,
      stages: medianStages(stageRuns, 'cpu'),
      stagesWall: medianStages(stageRuns, 'wall'),
      e2e: {
        wallSeconds: median(e2eRuns.map((r) => r.wallSeconds)),
        innerSeconds: median(e2eRuns.map((r) => r.result.innerSeconds)),
        cpuSeconds: median(e2eRuns.map((r) => r.result.cpuSeconds)),
        maxRssBytes: median(e2eRuns.map((r) => r.result.maxRssBytes)),
        splits: e2eRuns[0]!.result.splits,
      },
    });
  }
  return { rows: meta.rows, arrowBytesInMemory: meta.arrowBytesInMemory, formats };
}
