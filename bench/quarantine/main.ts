/**
 * Cost of the test-quarantine check (docs/SPLIT-SPEC.md §8.7) at the 1M and 10M benchmark
 * sizes: 80/10/10 splits, so the test set is 10 % and the candidate sets 90 % of the rows.
 * Identity sets are random 32-byte values, sorted as freezes store them; a few test rows are
 * planted in train. Prints wall time of the merge and the process's peak RSS.
 *   npx tsx bench/quarantine/main.ts [rows=10000000] [chunk bytes, 0 = whole sets]
 */
import { randomFillSync } from 'node:crypto';
import { sortedDistinct } from '../../functions/core/leakage/merkle.js';
import { findTestLeak } from '../../functions/core/leakage/test-leak.js';

const rows = Number(process.argv[2] ?? 10_000_000);
const chunk = Number(process.argv[3] ?? 0);
const PLANTED = 25;

function set(n: number, extra?: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(n * 32 + (extra?.length ?? 0));
  // randomFillSync takes at most 2^31 - 1 bytes at a time.
  for (let at = 0; at < n * 32; at += 1 << 30) randomFillSync(bytes, at, Math.min(1 << 30, n * 32 - at));
  if (extra) bytes.set(extra, n * 32);
  return sortedDistinct(bytes);
}

const stream = (bytes: Uint8Array) =>
  async function* () {
    if (chunk === 0) yield bytes;
    else for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
  };

const test = set(Math.round(rows * 0.1));
const train = set(Math.round(rows * 0.8) - PLANTED, test.subarray(0, PLANTED * 32));
const validation = set(Math.round(rows * 0.1));
const started = performance.now();
const leak = await findTestLeak(stream(test), [
  { split: 'train', identities: stream(train) },
  { split: 'validation', identities: stream(validation) },
]);
const ms = performance.now() - started;
const mib = (n: number) => (n / 2 ** 20).toFixed(0);
console.log(
  JSON.stringify({
    rows,
    chunk: chunk || 'whole',
    leaks: leak.count,
    mergeMs: Math.round(ms),
    setsMiB: mib(test.length + train.length + validation.length),
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
  }),
);
