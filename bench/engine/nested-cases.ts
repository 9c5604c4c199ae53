import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchConfig } from '../lib/config.js';
import { DATA_DIR, ROOT } from '../lib/paths.js';
import { median } from '../lib/stats.js';
import { runEngineCase } from './run-engine.js';

/** The nested and dictionary cases of bench:engine: what split-v1 carries beyond flat columns. */
export const NESTED_CASES = [
  { name: 'embedding', rows: 100_000, what: 'id + 768-float32 embedding (FixedSizeList), 2% null' },
  {
    name: 'dictionary',
    rows: 1_000_000,
    what: 'id + Dictionary<Int8, Utf8> label (20 values) + List<Int32> tokens',
  },
] as const;

export interface NestedCaseResult {
  readonly name: string;
  readonly what: string;
  readonly rows: number;
  readonly inputBytes: number;
  readonly arrowBytesInMemory: number;
  /** Medians over the runs: end to end, and the encode stage timed on its own. */
  readonly innerSeconds: number;
  readonly cpuSeconds: number;
  readonly encodeSeconds: number;
  readonly maxRssBytes: number;
}

interface NestedMeta {
  readonly arrowBytesInMemory: number;
  readonly path: string;
  readonly bytes: number;
}

/** Generates (once) and runs each nested case `config.runs` times, each run in a fresh process. */
export async function runNestedCases(
  config: BenchConfig,
  caseFile: string,
  python: string,
): Promise<NestedCaseResult[]> {
  const results: NestedCaseResult[] = [];
  for (const c of NESTED_CASES) {
    const script = join(ROOT, 'bench', 'generate_nested.py');
    const out = execFileSync(python, [script, c.name, String(c.rows), String(config.seed), DATA_DIR], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const meta = JSON.parse(out.trim()) as NestedMeta;
    const e2e = [];
    const stages = [];
    for (let run = 0; run < config.runs; run++) {
      process.stderr.write(`engine: ${c.name} ${c.rows} rows run ${run + 1}/${config.runs}\n`);
      e2e.push((await runEngineCase(caseFile, 'e2e', meta.path, 'arrow', config.seed)).result);
      stages.push((await runEngineCase(caseFile, 'stages', meta.path, 'arrow', config.seed)).result);
    }
    results.push({
      name: c.name,
      what: c.what,
      rows: c.rows,
      inputBytes: meta.bytes,
      arrowBytesInMemory: meta.arrowBytesInMemory,
      innerSeconds: median(e2e.map((r) => r.innerSeconds)),
      cpuSeconds: median(e2e.map((r) => r.cpuSeconds)),
      encodeSeconds: median(stages.map((r) => r.stages?.encode?.wall ?? Number.NaN)),
      maxRssBytes: median(e2e.map((r) => r.maxRssBytes)),
    });
  }
  return results;
}
