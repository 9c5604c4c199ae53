/**
 * Measures the Lambda bundles: size on disk and the time a fresh Node process takes to import
 * each one (the cold-start share the code controls), plus the API's first health answer.
 * Writes the "## Lambda bundles" section of BENCHMARKS.md, leaving other sections alone.
 *
 * Run: bash scripts/with-emulators.sh npx tsx scripts/lambda-bundle-bench.ts
 * (the API function reads the bucket's Object Lock settings at cold start, so it needs S3).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createLockedBucket, requireEmulators, s3Client } from '../test/conformance/emulator-env.js';
import {
  bundleFunctions,
  httpApiGetEvent,
  INVOKE_BUNDLE,
  parseInvokeOutput,
} from '../test/infra/bundle-assets.js';

const RUNS = 7;
const COMMAND = 'bash scripts/with-emulators.sh npx tsx scripts/lambda-bundle-bench.ts';
const BENCHMARKS = new URL('../BENCHMARKS.md', import.meta.url);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function timeRuns(
  bundle: string,
  env: NodeJS.ProcessEnv,
  event?: object,
): { importMs: number; totalMs: number } {
  const imports: number[] = [];
  const totals: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const args = ['--input-type=module', '-e', INVOKE_BUNDLE, bundle];
    const started = performance.now();
    const stdout = execFileSync(process.execPath, event ? [...args, JSON.stringify(event)] : args, {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    totals.push(performance.now() - started);
    imports.push(parseInvokeOutput(stdout).importMs);
  }
  return { importMs: median(imports), totalMs: median(totals) };
}

/** A Markdown table with padded columns, the layout the formatter in `npm run lint` expects. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(3, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)];
}

/** Replaces only this section: it ends at the next heading or at another writer's marker comment. */
function replaceSection(markdown: string, section: string): string {
  const start = markdown.indexOf('## Lambda bundles');
  if (start < 0) return `${markdown.trimEnd()}\n\n${section}`.trimStart();
  const rest = markdown.slice(start + 1);
  const next = rest.search(/\n(## |<!-- )/);
  return `${markdown.slice(0, start)}${section}${next < 0 ? '' : `\n${rest.slice(next + 1)}`}`;
}

async function main(): Promise<void> {
  const emulators = requireEmulators();
  const bucket = await createLockedBucket(s3Client(), 'bench-bundle');
  const bundles = bundleFunctions();
  const env = {
    PATH: process.env.PATH,
    ...emulators,
    SPLITVAULT_BACKEND: 'aws',
    SPLITVAULT_BUCKET: bucket,
    SPLITVAULT_TABLE: 'bench-bundle-table',
    SPLITVAULT_RETENTION_MODE: 'GOVERNANCE',
    SPLITVAULT_RETENTION_DAYS: '1',
    SPLITVAULT_WORKER_FUNCTION: 'bench-bundle-worker',
  };
  const rows = (['api', 'worker'] as const).map((name) => {
    const bundle = join(bundles[name], 'index.mjs');
    const event = name === 'api' ? httpApiGetEvent('/v1/health') : undefined;
    const timing = timeRuns(bundle, env, event);
    const bytes = statSync(bundle).size;
    const map = statSync(`${bundle}.map`).size;
    const answer = name === 'api' ? `${timing.totalMs.toFixed(0)} ms` : 'n/a (import only)';
    return [name, kib(bytes), kib(map), `${timing.importMs.toFixed(0)} ms`, answer];
  });
  rmSync(bundles.outdir, { recursive: true, force: true });
  const cpu = cpus();
  const section = [
    '## Lambda bundles',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu[0]?.model ?? 'unknown CPU'} ` +
      `(${cpu.length} cores, shared), Node ${process.versions.node}, esbuild bundles as \`cdk synth\` builds them ` +
      `(ESM, minified, AWS SDK bundled). Median of ${RUNS} fresh processes each.`,
    '',
    `Command: \`${COMMAND}\``,
    '',
    ...table([
      [
        'function',
        'index.mjs',
        'source map',
        'import in a fresh process',
        'cold health answer (process start to response)',
      ],
      ...rows,
    ]),
    '',
    'The API bundle leaves out apache-arrow and the Parquet readers (checked by test/infra/bundles.test.ts);',
    'the cold health answer includes one GetObjectLockConfiguration call to the local S3 emulator.',
    '',
  ].join('\n');
  let markdown = '';
  try {
    markdown = readFileSync(BENCHMARKS, 'utf8');
  } catch {
    markdown = '# Benchmarks\n';
  }
  // Write-then-rename so a reader or another section's writer never sees half a file.
  const temporary = new URL(`../BENCHMARKS.md.${process.pid}.tmp`, import.meta.url);
  writeFileSync(temporary, replaceSection(markdown, section));
  renameSync(temporary, BENCHMARKS);
  process.stdout.write(`${section}\n`);
}

await main();
