import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../bench/lib/config.js';
import { ROOT } from '../../bench/lib/paths.js';
import { runSmoke, type SmokeResult } from '../../bench/smoke.js';

const ROWS = 2000;
const HAND_WRITTEN = '## Lambda bundles\n\nWritten by hand; the benchmark must leave it alone.\n';
const realReport = join(ROOT, 'BENCHMARKS.md');

describe('the benchmark smoke run', () => {
  let workDir: string;
  let reportPath: string;
  let result: SmokeResult;
  let realBefore: string | undefined;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'splitvault-bench-'));
    reportPath = join(workDir, 'BENCHMARKS.md');
    writeFileSync(reportPath, `# Benchmarks\n\n${HAND_WRITTEN}`);
    realBefore = existsSync(realReport) ? readFileSync(realReport, 'utf8') : undefined;
    result = await runSmoke({ rows: ROWS, seed: 7, workDir, reportPath, withPeer: false });
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it.each(FORMATS)('splits the %s file into 80/10/10 of the generated rows', (format) => {
    const figures = result.engine.formats.find((f) => f.format === format);
    expect(figures?.e2e.splits).toMatchObject({
      train: { rows: ROWS * 0.8 },
      validation: { rows: ROWS * 0.1 },
      test: { rows: ROWS * 0.1 },
    });
  });

  it.each(FORMATS)('times every stage of the %s case and reports a peak RSS', (format) => {
    const figures = result.engine.formats.find((f) => f.format === format)!;
    expect(Object.keys(figures.stages).sort()).toEqual(['address', 'assign', 'encode', 'hash', 'ingest']);
    expect(figures.e2e.maxRssBytes).toBeGreaterThan(10 * 2 ** 20);
  });

  it('writes the engine section into the temp report between its markers', () => {
    const text = readFileSync(reportPath, 'utf8');
    expect(text).toMatch(/<!-- bench:engine:start -->\n## Engine[\s\S]*<!-- bench:engine:end -->/);
    expect(text).toContain(`### ${ROWS.toLocaleString('en-US')} rows`);
    for (const format of FORMATS) expect(text).toMatch(new RegExp(`^\\| ${format} +\\|`, 'm'));
  });

  it('keeps the section it did not write', () => {
    expect(readFileSync(reportPath, 'utf8')).toContain(HAND_WRITTEN);
  });

  it('leaves the real BENCHMARKS.md untouched', () => {
    const realAfter = existsSync(realReport) ? readFileSync(realReport, 'utf8') : undefined;
    expect(realAfter).toBe(realBefore);
  });
});
