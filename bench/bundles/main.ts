/**
 * Measures the Lambda bundles in a process of its own (the `bundles` part of `npm run bench`,
 * which runs it under scripts/with-emulators.sh): size on disk, the time a fresh Node process
 * takes to import each one (the cold-start share the code controls), and for the API the first
 * invocation after that import with an API Gateway HTTP API event (test/fixtures/api-gateway/):
 * an IAM-authorized GET /v1/aliases, which builds the config, the S3 and DynamoDB clients and
 * the app, reads the bucket's Object Lock settings and queries the table. Prints one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  createLineageTable,
  createLockedBucket,
  dynamoClient,
  requireEmulators,
  s3Client,
} from '../../test/conformance/emulator-env.js';
import { bundleFunctions, INVOKE_BUNDLE, parseInvokeOutput } from '../../test/infra/bundle-assets.js';
import { ROOT } from '../lib/paths.js';
import { median } from '../lib/stats.js';
import type { BundleFigures, BundlesResult } from './result.js';

const RUNS = 7;
export const API_EVENT = join(ROOT, 'test', 'fixtures', 'api-gateway', 'get-aliases-v2.json');

function timeRuns(bundle: string, env: NodeJS.ProcessEnv, event?: string) {
  const imports: number[] = [];
  const importCpu: number[] = [];
  const invokes: number[] = [];
  const totals: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const args = ['--input-type=module', '-e', INVOKE_BUNDLE, bundle];
    const started = performance.now();
    const stdout = execFileSync(process.execPath, event ? [...args, event] : args, {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    totals.push(performance.now() - started);
    const output = parseInvokeOutput<{ statusCode?: number }>(stdout);
    if (event && output.result?.statusCode !== 200) {
      throw new Error(`the API answered the recorded event with ${JSON.stringify(output.result)}`);
    }
    imports.push(output.importMs);
    importCpu.push(output.importCpuMs);
    if (output.invokeMs !== null) invokes.push(output.invokeMs);
  }
  return {
    importMs: median(imports),
    importCpuMs: median(importCpu),
    ...(event ? { firstInvokeMs: median(invokes), coldAnswerMs: median(totals) } : {}),
  };
}

async function main(): Promise<void> {
  const emulators = requireEmulators();
  const bucket = await createLockedBucket(s3Client(), 'bench-bundle');
  const table = await createLineageTable(dynamoClient(), 'bench-bundle');
  const bundles = bundleFunctions();
  const env = {
    PATH: process.env.PATH,
    ...emulators,
    SPLITVAULT_BACKEND: 'aws',
    SPLITVAULT_BUCKET: bucket,
    SPLITVAULT_TABLE: table,
    SPLITVAULT_RETENTION_MODE: 'GOVERNANCE',
    SPLITVAULT_RETENTION_DAYS: '1',
    SPLITVAULT_WORKER_FUNCTION: 'bench-bundle-worker',
    // The id httpApiGetEvent puts in requestContext: the handler answers no other API.
    SPLITVAULT_API_ID: 'abc123',
  };
  try {
    const functions = (['api', 'worker'] as const).map((name): BundleFigures => {
      const bundle = join(bundles[name], 'index.mjs');
      const event = name === 'api' ? readFileSync(API_EVENT, 'utf8') : undefined;
      return {
        name,
        bytes: statSync(bundle).size,
        mapBytes: statSync(`${bundle}.map`).size,
        ...timeRuns(bundle, env, event),
      };
    });
    const result: BundlesResult = { runs: RUNS, node: process.version, loadAverage: loadavg()[0], functions };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(bundles.outdir, { recursive: true, force: true });
  }
}

await main();
