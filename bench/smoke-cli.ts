/** `npm run bench:smoke`: tiny data, one run, report under bench/out/smoke unless BENCH_REPORT says. */
import { join } from 'node:path';
import { readConfig } from './lib/config.js';
import { OUT_DIR } from './lib/paths.js';
import { runSmoke } from './smoke.js';

const workDir = join(OUT_DIR, 'smoke');
const env = { BENCH_ROWS: '2000', BENCH_REPORT: join(workDir, 'BENCHMARKS.md'), ...process.env };
const config = readConfig(env);
await runSmoke({
  rows: config.rows[0]!,
  seed: config.seed,
  workDir,
  reportPath: config.reportPath,
  withPeer: true,
});
process.stderr.write(`bench:smoke: wrote ${config.reportPath}\n`);
