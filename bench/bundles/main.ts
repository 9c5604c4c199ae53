/**
 * Measures the Lambda bundles in a process of its own (the `bundles` part of `npm run bench`,
 * which runs it under scripts/with-emulators.sh): size on disk and the time a fresh Node process
 * takes to import each one (the cold-start share the code controls), plus the API's first health
 * answer, which reads the bucket's Object Lock settings and so needs S3. Prints one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLockedBucket, requireEmulators, s3Client } from '../../test/conformance/emulator-env.js';
import {
  bundleFunctions,
  httpApiGetEvent,
  INVOKE_BUNDLE,
  parseInvokeOutput,
} from '../../test/infra/bundle-assets.js';
import { median } from '../lib/stats.js';
import type { BundleFigures, BundlesResult } from './result.js';

const RUNS = 7;

function timeRuns(bundle: string, env: NodeJS.ProcessEnv, event?: object) {
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
    // The id httpApiGetEvent puts in requestContext: the handler answers no other API.
    SPLITVAULT_API_ID: 'abc123',
  };
  try {
    const functions = (['api', 'worker'] as const).map((name): BundleFigures => {
      const bundle = join(bundles[name], 'index.mjs');
      const event = name === 'api' ? httpApiGetEvent('/v1/health') : undefined;
      const timing = timeRuns(bundle, env, event);
      return {
        name,
        bytes: statSync(bundle).size,
        mapBytes: statSync(`${bundle}.map`).size,
        importMs: timing.importMs,
        ...(event ? { coldAnswerMs: timing.totalMs } : {}),
      };
    });
    const result: BundlesResult = { runs: RUNS, functions };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(bundles.outdir, { recursive: true, force: true });
  }
}

await main();
