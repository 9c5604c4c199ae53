import type { BundlesResult } from '../bundles/result.js';
import { fixed, table } from './format.js';

const kib = (bytes: number) => `${fixed(bytes / 1024, 0)} KiB`;

/** Bundle sizes and cold import times of the two Lambda functions. */
export function bundlesSection(result: BundlesResult | undefined, header: string, why?: string): string {
  const parts = ['## Lambda bundles', '', header, ''];
  if (!result) {
    parts.push(`Not measured in this run: ${why ?? 'skipped'}.`);
    return parts.join('\n');
  }
  parts.push(
    'esbuild bundles as `cdk synth` builds them (ESM, minified, AWS SDK bundled), each imported in',
    `${result.runs} fresh Node processes (medians). The cold health answer is process start to the API's`,
    'answer to one health event, including one GetObjectLockConfiguration call to the local S3 emulator.',
    'The API bundle leaves out apache-arrow and the Parquet readers (checked by test/infra/bundles.test.ts).',
    '',
    table(
      ['function', 'index.mjs', 'source map', 'import in a fresh process', 'cold health answer'],
      result.functions.map((f) => [
        f.name,
        kib(f.bytes),
        kib(f.mapBytes),
        `${fixed(f.importMs, 0)} ms`,
        f.coldAnswerMs === undefined ? 'n/a (import only)' : `${fixed(f.coldAnswerMs, 0)} ms`,
      ]),
    ),
  );
  return parts.join('\n');
}
