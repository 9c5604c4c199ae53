import type { BundlesResult } from '../bundles/result.js';
import { fixed, table } from './format.js';

const kib = (bytes: number) => `${fixed(bytes / 1024, 0)} KiB`;
const ms = (value: number | undefined) =>
  value === undefined ? 'n/a (import only)' : `${fixed(value, 0)} ms`;

/** Bundle sizes, cold import times and the API's first invocation, for the two Lambda functions. */
export function bundlesSection(result: BundlesResult | undefined, header: string, why?: string): string {
  const parts = ['## Lambda bundles', '', header, ''];
  if (!result) {
    parts.push(`Not measured in this run: ${why ?? 'skipped'}.`);
    return parts.join('\n');
  }
  const load = fixed(result.loadAverage ?? 0, 1);
  parts.push(
    'esbuild bundles as `cdk synth` builds them (ESM, minified, AWS SDK bundled), each imported in',
    `${result.runs} fresh Node ${result.node ?? ''} processes (medians; Lambda runs Node 22). Import CPU is the`,
    'user + system time of the import, which other work on the machine inflates far less than wall time',
    `(one-minute load average ${load} when the runs ended). The first invoke is the API handler's first call`,
    'right after the import, with the API Gateway HTTP API event in `test/fixtures/api-gateway/get-aliases-v2.json`',
    '(an IAM-authorized `GET /v1/aliases?limit=1`): config, S3 and DynamoDB clients, the app, the Object Lock',
    'read and one table query against the local emulators; the cold answer is process start to its answer.',
    'Targets: API bundle ≤ 512 KiB (500 KiB before the leakage guard routes), import ≤ 150 ms. test/infra/bundles.test.ts keeps apache-arrow, the',
    'Parquet readers, the Lambda client and the SDK credential chain out of the API bundle, and checks that',
    'the worker instantiates parquet-wasm at first use, not at import.',
    '',
    table(
      [
        'function',
        'index.mjs',
        'bytes',
        'source map',
        'import (wall)',
        'import (CPU)',
        'first invoke',
        'cold answer',
      ],
      result.functions.map((f) => [
        f.name,
        kib(f.bytes),
        f.bytes.toLocaleString('en-US'),
        kib(f.mapBytes),
        ms(f.importMs),
        ms(f.importCpuMs),
        ms(f.firstInvokeMs),
        ms(f.coldAnswerMs),
      ]),
    ),
  );
  return parts.join('\n');
}
