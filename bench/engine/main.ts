/** `npm run bench:engine`: the engine alone, per stage and end to end, into BENCHMARKS.md. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../lib/config.js';
import { ensureDataset } from '../lib/dataset.js';
import { OUT_DIR } from '../lib/paths.js';
import { generatorPython } from '../lib/python.js';
import { profileEngine } from '../profile/profile-engine.js';
import { aboutSection } from '../report/about-section.js';
import { engineSection } from '../report/engine-section.js';
import { machineInfo, machineMarkdown } from '../report/machine.js';
import { nestedSection } from '../report/nested-section.js';
import { profileSection } from '../report/profile-section.js';
import { writeSections } from '../report/sections.js';
import { buildEngineCase } from './build.js';
import { runNestedCases } from './nested-cases.js';
import { type EngineRowsResult, runEngineBench } from './run-engine.js';

const config = readConfig();
// BENCH_ENGINE_SECTION lets a one-off run (say 10M rows, one run) sit beside the main figures.
const section = process.env.BENCH_ENGINE_SECTION ?? 'engine';
mkdirSync(OUT_DIR, { recursive: true });
const caseFile = await buildEngineCase();
const python = generatorPython();
const nestedCommand = `BENCH_RUNS=${config.runs} BENCH_ENGINE_ONLY=nested npm run bench:engine`;
const nested = await runNestedCases(config, caseFile, python);
writeSections(config.reportPath, [
  ['engine-nested', nestedSection(nested, machineMarkdown(machineInfo(), nestedCommand))],
]);
// BENCH_ENGINE_ONLY=nested measures the nested and dictionary cases alone, in minutes.
if (process.env.BENCH_ENGINE_ONLY === 'nested') process.exit(0);
const results: EngineRowsResult[] = [];
for (const rows of config.rows) {
  const meta = ensureDataset(rows, config.seed, python);
  results.push(await runEngineBench(config, meta, caseFile, join(OUT_DIR, `engine-${rows}`)));
}
const largest = ensureDataset(Math.max(...config.rows), config.seed, python);
const profiles = await profileEngine(caseFile, largest, config.formats, config.seed, OUT_DIR);
const command = `BENCH_ROWS=${config.rows.join(',')} BENCH_FORMATS=${config.formats.join(',')} BENCH_RUNS=${config.runs} npm run bench:engine`;
writeFileSync(
  join(OUT_DIR, `${section}-results.json`),
  JSON.stringify({ machine: machineInfo(), results, profiles }, null, 2),
);
writeSections(config.reportPath, [
  ['about', aboutSection()],
  [section, engineSection(results, machineMarkdown(machineInfo(), command))],
  [section === 'engine' ? 'profile' : `${section}-profile`, profileSection(profiles)],
]);
process.stderr.write(`bench:engine: wrote ${config.reportPath}\n`);
