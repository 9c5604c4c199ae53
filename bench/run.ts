/**
 * `npm run bench`: builds the peers' venv, generates the data, runs the engine benchmark, the peer
 * comparison and (when the API server is there) the HTTP load, and rewrites BENCHMARKS.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CompareRowsResult, runCompare } from './compare/run-compare.js';
import { buildEngineCase } from './engine/build.js';
import { type EngineRowsResult, runEngineBench } from './engine/run-engine.js';
import { runHttpBench } from './http/run-http.js';
import { readConfig } from './lib/config.js';
import { ensureDataset } from './lib/dataset.js';
import { OUT_DIR } from './lib/paths.js';
import { ensureBenchVenv } from './lib/python.js';
import { profileEngine } from './profile/profile-engine.js';
import { compareSection } from './report/compare-section.js';
import { engineSection } from './report/engine-section.js';
import { httpSection } from './report/http-section.js';
import { machineInfo, machineMarkdown } from './report/machine.js';
import { profileSection } from './report/profile-section.js';
import { writeSections } from './report/sections.js';

const config = readConfig();
mkdirSync(OUT_DIR, { recursive: true });
const python = ensureBenchVenv();
const caseFile = await buildEngineCase();
const engine: EngineRowsResult[] = [];
const compare: CompareRowsResult[] = [];
for (const rows of config.rows) {
  const meta = ensureDataset(rows, config.seed, python);
  engine.push(await runEngineBench(config, meta, caseFile, join(OUT_DIR, `engine-${rows}`)));
  compare.push(
    await runCompare({ config, meta, caseFile, python, outDir: join(OUT_DIR, `compare-${rows}`) }),
  );
}
// Profiles come from the largest size, where the time is spent for real.
const largest = ensureDataset(Math.max(...config.rows), config.seed, python);
const profiles = await profileEngine(caseFile, largest, config.formats, config.seed, OUT_DIR);
// The routes under load read metadata only, so a small dataset serves them as well as a big one.
const http =
  config.httpSeconds > 0
    ? await runHttpBench(
        ensureDataset(10_000, config.seed, python).files.csv.path,
        join(OUT_DIR, 'http'),
        config.httpSeconds,
      )
    : undefined;
const machine = machineInfo();
const command = `BENCH_ROWS=${config.rows.join(',')} BENCH_RUNS=${config.runs} BENCH_HTTP_SECONDS=${config.httpSeconds} npm run bench`;
const header = machineMarkdown(machine, command);
writeFileSync(
  join(OUT_DIR, 'results.json'),
  JSON.stringify({ machine, engine, compare, profiles, http }, null, 2),
);
writeSections(config.reportPath, [
  ['engine', engineSection(engine, header)],
  ['profile', profileSection(profiles)],
  ['compare', compareSection(compare, engine, header)],
  ['http', httpSection(http, header, 'BENCH_HTTP_SECONDS=0')],
]);
process.stderr.write(`bench: wrote ${config.reportPath}\n`);
