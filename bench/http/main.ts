/** `npm run bench:http`: only the HTTP section, on a small generated dataset. */
import { join } from 'node:path';
import { readConfig } from '../lib/config.js';
import { ensureDataset } from '../lib/dataset.js';
import { OUT_DIR } from '../lib/paths.js';
import { generatorPython } from '../lib/python.js';
import { aboutSection } from '../report/about-section.js';
import { httpSection } from '../report/http-section.js';
import { machineInfo, machineMarkdown } from '../report/machine.js';
import { writeSections } from '../report/sections.js';
import { runHttpBench } from './run-http.js';

const HTTP_ROWS = 10_000;
const config = readConfig();
const meta = ensureDataset(HTTP_ROWS, config.seed, generatorPython());
const loads = await runHttpBench(meta.files.csv.path, join(OUT_DIR, 'http'), config.httpSeconds);
const header = machineMarkdown(machineInfo(), `BENCH_HTTP_SECONDS=${config.httpSeconds} npm run bench:http`);
writeSections(config.reportPath, [
  ['about', aboutSection()],
  ['http', httpSection(loads, header)],
]);
process.stderr.write(`bench:http: wrote ${config.reportPath}\n`);
