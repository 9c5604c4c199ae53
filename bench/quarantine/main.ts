/**
 * Cost of the test-quarantine check (docs/SPLIT-SPEC.md §8.7) at the benchmark sizes: 80/10/10
 * splits, so the check merges the test set (10 % of the rows) with train (80 %) and validation
 * (10 %). Identity sets are random 32-byte values, sorted as freezes store them, with 25 test
 * rows planted in train. Two steps, so the measured process holds only what the check holds:
 *   npx tsx bench/quarantine/main.ts gen <dir> <rows>      writes test.ids, train.ids, validation.ids
 *   npx tsx bench/quarantine/main.ts run <dir> whole|stream
 * `whole` reads each set into memory as LeakageReader.identitySet does; `stream` reads 1 MiB
 * chunks as openIdentitySet may. Prints the merge's wall time and the process's peak RSS.
 */
import { randomFillSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sortedDistinct } from '../../functions/core/leakage/merkle.js';
import { findTestLeak, type IdentityStream } from '../../functions/core/leakage/test-leak.js';

const [step, dir = '.', arg = ''] = process.argv.slice(2);
const PLANTED = 25;

function set(n: number, extra?: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(n * 32 + (extra?.length ?? 0));
  // randomFillSync takes at most 2^31 - 1 bytes at a time.
  for (let at = 0; at < n * 32; at += 1 << 30) randomFillSync(bytes, at, Math.min(1 << 30, n * 32 - at));
  if (extra) bytes.set(extra, n * 32);
  return sortedDistinct(bytes);
}

if (step === 'gen') {
  const rows = Number(arg);
  const test = set(Math.round(rows * 0.1));
  await writeFile(join(dir, 'test.ids'), test);
  await writeFile(join(dir, 'validation.ids'), set(Math.round(rows * 0.1)));
  await writeFile(
    join(dir, 'train.ids'),
    set(Math.round(rows * 0.8) - PLANTED, test.subarray(0, PLANTED * 32)),
  );
} else {
  const file = (name: string) => join(dir, `${name}.ids`);
  const started = performance.now();
  let source: (name: string) => IdentityStream;
  if (arg === 'stream') {
    source = (name) => () => createReadStream(file(name), { highWaterMark: 1 << 20 });
  } else {
    // As the guard does without a streaming reader: the test set held, each candidate read in turn.
    const test = await readFile(file('test'));
    source = (name) =>
      async function* () {
        yield name === 'test' ? test : await readFile(file(name));
      };
  }
  const leak = await findTestLeak(source('test'), [
    { split: 'train', identities: source('train') },
    { split: 'validation', identities: source('validation') },
  ]);
  console.log(
    JSON.stringify({
      mode: arg,
      leaks: leak.count,
      ms: Math.round(performance.now() - started),
      peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
    }),
  );
}
