import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON_PEERS } from './compare/peers.js';
import { type CompareRowsResult, runCompare } from './compare/run-compare.js';
import { buildEngineCase } from './engine/build.js';
import { type EngineRowsResult, runEngineBench } from './engine/run-engine.js';
import { type BenchConfig, FORMATS } from './lib/config.js';
import { ensureDataset } from './lib/dataset.js';
import { existingBenchPython, generatorPython } from './lib/python.js';
import { compareSection } from './report/compare-section.js';
import { engineSection } from './report/engine-section.js';
import { machineInfo, machineMarkdown } from './report/machine.js';
import { writeSections } from './report/sections.js';

export interface SmokeOptions {
  readonly rows: number;
  readonly seed: number;
  /** Everything (data, bundle, split files, results) goes under here. */
  readonly workDir: string;
  readonly reportPath: string;
  /** Also run polars when the peers' venv is already built; never builds it. */
  readonly withPeer: boolean;
}

export interface SmokeResult {
  readonly engine: EngineRowsResult;
  readonly compare?: CompareRowsResult;
}

/**
 * The whole pipeline on tiny data, once: proves the harness, the engine and the report writer
 * work together without the cost of real sizes.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const config: BenchConfig = {
    rows: [options.rows],
    formats: FORMATS,
    runs: 1,
    seed: options.seed,
    peers: ['polars'],
    reportPath: options.reportPath,
    httpSeconds: 0,
  };
  mkdirSync(options.workDir, { recursive: true });
  const caseFile = await buildEngineCase();
  const meta = ensureDataset(options.rows, options.seed, generatorPython(), join(options.workDir, 'data'));
  const engine = await runEngineBench(config, meta, caseFile, join(options.workDir, 'engine'));
  const peerPython = options.withPeer ? existingBenchPython() : undefined;
  const compare = peerPython
    ? await runCompare({
        config,
        meta,
        caseFile,
        python: peerPython,
        outDir: join(options.workDir, 'compare'),
        peers: PYTHON_PEERS.filter((p) => p.name === 'polars'),
      })
    : undefined;
  const header = machineMarkdown(machineInfo(), `BENCH_ROWS=${options.rows} npm run bench:smoke`);
  const sections: [string, string][] = [['engine', engineSection([engine], header)]];
  if (compare) sections.push(['compare', compareSection([compare], [engine], header)]);
  writeSections(options.reportPath, sections);
  writeFileSync(join(options.workDir, 'results.json'), JSON.stringify({ engine, compare }, null, 2));
  return compare ? { engine, compare } : { engine };
}
