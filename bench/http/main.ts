/**
 * `npm run bench:http`: only the HTTP sections: read routes under load on a small generated
 * dataset, then read latency while a 1M-row freeze runs.
 */
import { join } from 'node:path';
import { readConfig } from '../lib/config.js';
import { ensureDataset } from '../lib/dataset.js';
import { OUT_DIR } from '../lib/paths.js';
import { generatorPython } from '../lib/python.js';
import { aboutSection } from '../report/about-section.js';
import { freezeReadsSection, httpSection } from '../report/http-section.js';
import { machineInfo, machineMarkdown } from '../report/machine.js';
import { writeSections } from '../report/sections.js';
import { runReadsDuringFreeze } from './reads-during-freeze.js';
import { runHttpBench } from './run-http.js';

const HTTP_ROWS = 10_000;
const FREEZE_ROWS = 1_000_000;
const config = readConfig();
const meta = ensureDataset(HTTP_ROWS, config.seed, generatorPython());
const loads = await runHttpBench(meta.files.csv.path, join(OUT_DIR, 'http'), config.httpSeconds);
const big = ensureDataset(FREEZE_ROWS, config.seed, generatorPython());
const reads = await runReadsDuringFreeze(big.files.csv.path, FREEZE_ROWS, join(OUT_DIR, 'http'));
const header = machineMarkdown(machineInfo(), `BENCH_HTTP_SECONDS=${config.httpSeconds} npm run bench:http`);
writeSections(config.reportPath, [
  ['about', aboutSection()],
  ['http', httpSection(loads, header)],
  ['http-freeze-reads', freezeReadsSection(reads, header)],
]);
process.stderr.write(`bench:http: wrote ${config.reportPath}\n`);
