/**
 * `npm run bench`: builds the peers' venv, generates the data, runs the engine benchmark, the peer
 * comparison, a CPU profile, (BENCH_HTTP_SECONDS > 0) the HTTP load, the Lambda bundle figures and
 * the scale grid (freezes on the embedded server at 1M–50M rows, 1 and 2 workers, with the peers
 * at 10M), and rewrites BENCHMARKS.md.
 * The report is rewritten after every part, so a run cut short still publishes what it measured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BundlesResult } from './bundles/result.js';
import { type Ceiling, type CompareRowsResult, measureCeiling, runCompare } from './compare/run-compare.js';
import { buildEngineCase } from './engine/build.js';
import { type EngineRowsResult, runEngineBench } from './engine/run-engine.js';
import type { RouteLoad } from './http/load.js';
import { runHttpBench } from './http/run-http.js';
import { type BenchFormat, readConfig, readScaleConfig } from './lib/config.js';
import { ensureDataset } from './lib/dataset.js';
import { OUT_DIR, ROOT } from './lib/paths.js';
import { ensureBenchVenv } from './lib/python.js';
import { runChild } from './lib/run-child.js';
import { type FormatProfile, profileEngine } from './profile/profile-engine.js';
import { aboutSection } from './report/about-section.js';
import { bundlesSection } from './report/bundles-section.js';
import { compareSection } from './report/compare-section.js';
import { engineSection } from './report/engine-section.js';
import { httpSection } from './report/http-section.js';
import { machineInfo, machineMarkdown } from './report/machine.js';
import { profileSection } from './report/profile-section.js';
import { scaleSection } from './report/scale-section.js';
import { writeSections } from './report/sections.js';
import { runScale } from './scale/run-scale.js';
import { ScaleResults } from './scale/scale-results.js';

const config = readConfig();
// BENCH_PARTS picks parts (a one-off 10M comparison need not redo the rest); BENCH_SECTION_SUFFIX
// names its sections apart so it sits beside, not over, the main figures.
const parts = new Set((process.env.BENCH_PARTS ?? 'engine,profile,compare,http,bundles,scale').split(','));
const suffix = process.env.BENCH_SECTION_SUFFIX ?? '';

mkdirSync(OUT_DIR, { recursive: true });
// Only the engine, comparison and HTTP parts need the peers' venv and the engine case.
const needsData = ['engine', 'compare', 'http'].some((part) => parts.has(part));
const python = needsData || parts.has('scale') ? ensureBenchVenv() : '';
const caseFile = needsData ? await buildEngineCase() : '';
const machine = machineInfo();
const command = `BENCH_ROWS=${config.rows.join(',')} BENCH_FORMATS=${config.formats.join(',')} BENCH_PEERS=${config.peers.join(',')} BENCH_RUNS=${config.runs} BENCH_HTTP_SECONDS=${config.httpSeconds} BENCH_PARTS=${[...parts].join(',')} npm run bench`;
const header = machineMarkdown(machine, command);
const scale = readScaleConfig();
const scaleCommand = `BENCH_SCALE_ROWS=${scale.rows.join(',')} BENCH_SCALE_FORMATS=${scale.formats.join(',')} BENCH_SCALE_WORKERS=${scale.workers.join(',')} BENCH_SCALE_BUDGET=${scale.budgetBytes} BENCH_SCALE_PARQUET_FILES=${scale.parquetFiles} BENCH_SCALE_COMPARE_ROWS=${scale.compareRows.join(',') || 'none'} BENCH_SCALE_PEERS=${scale.peers.join(',')} BENCH_RUNS=${config.runs} BENCH_PARTS=scale npm run bench`;
// Every scale case measured so far, across invocations: the grid is run in pieces.
const scaleResults = new ScaleResults(join(OUT_DIR, 'scale', `results${suffix}.json`));
const engine: EngineRowsResult[] = [];
const compare: CompareRowsResult[] = [];
let profiles: FormatProfile[] | undefined;
let http: RouteLoad[] | undefined;
let httpNote = 'still running when this report was written';
let bundles: BundlesResult | undefined;
const bundlesNote = 'still running when this report was written';

function publish(): void {
  writeFileSync(
    join(OUT_DIR, `results${suffix}.json`),
    JSON.stringify({ machine, engine, compare, profiles, http, bundles }, null, 2),
  );
  const sections: [string, string][] = [['about', aboutSection()]];
  if (parts.has('engine')) sections.push([`engine${suffix}`, engineSection(engine, header)]);
  if (profiles) sections.push([`profile${suffix}`, profileSection(profiles)]);
  if (parts.has('compare')) sections.push([`compare${suffix}`, compareSection(compare, engine, header)]);
  if (parts.has('http')) sections.push([`http${suffix}`, httpSection(http, header, httpNote)]);
  if (parts.has('bundles')) sections.push([`bundles${suffix}`, bundlesSection(bundles, header, bundlesNote)]);
  if (parts.has('scale') && scaleResults.all().length > 0)
    sections.push([
      `scale${suffix}`,
      // The machine only: each case carries its own command and date.
      scaleSection(scaleResults.all(), machineMarkdown(machine, '').split('\n')[0]!),
    ]);
  writeSections(config.reportPath, sections);
}

for (const rows of parts.has('engine') ? config.rows : []) {
  const meta = ensureDataset(rows, config.seed, python);
  const measured = await runEngineBench(config, meta, caseFile, join(OUT_DIR, `engine-${rows}`));
  const ceilings: Partial<Record<BenchFormat, Ceiling>> = {};
  for (const format of config.formats)
    ceilings[format] = await measureCeiling(python, meta.files[format].path);
  engine.push({ ...measured, ceilings });
  publish();
  if (parts.has('profile') && rows === Math.max(...config.rows)) {
    // Profiles come from the largest size, where the time is spent for real.
    profiles = await profileEngine(caseFile, meta, config.formats, config.seed, OUT_DIR);
    publish();
  }
}
for (const rows of parts.has('compare') ? config.rows : []) {
  const meta = ensureDataset(rows, config.seed, python);
  const at = compare.length;
  const onFormat = (partial: CompareRowsResult) => {
    compare[at] = partial;
    publish();
  };
  await runCompare({ config, meta, caseFile, python, outDir: join(OUT_DIR, `compare-${rows}`), onFormat });
}
if (parts.has('http') && config.httpSeconds > 0) {
  // The routes under load read metadata only, so a small dataset serves them as well as a big one.
  const small = ensureDataset(10_000, config.seed, python);
  http = await runHttpBench(small.files.csv.path, join(OUT_DIR, 'http'), config.httpSeconds);
} else {
  httpNote = 'BENCH_HTTP_SECONDS=0';
}
publish();
if (parts.has('bundles')) {
  // The API function reads its bucket's Object Lock settings at cold start, so the bundles are
  // measured against a private pair of emulators, torn down when the child ends.
  const child = await runChild<BundlesResult>(
    'bash',
    [join(ROOT, 'scripts', 'with-emulators.sh'), 'npx', 'tsx', join(ROOT, 'bench', 'bundles', 'main.ts')],
    { cwd: ROOT },
  );
  bundles = child.result;
}
publish();
if (parts.has('scale')) {
  await runScale({
    config,
    scale,
    python,
    outDir: join(OUT_DIR, 'scale'),
    results: scaleResults,
    command: scaleCommand,
    onSample: publish,
  });
  publish();
}
process.stderr.write(`bench: wrote ${config.reportPath}\n`);
