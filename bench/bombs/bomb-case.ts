/**
 * One bomb freeze in a fresh process, so its peak RSS belongs to this case alone.
 *
 *   tsx bench/bombs/bomb-case.ts --input FILE --format parquet|jsonl|arrow --budget BYTES|none
 *
 * Prints one JSON line: the outcome (split, or the error code), peak RSS, and parquet-wasm's
 * WebAssembly memory at the end (it grows and never shrinks).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SplitvaultError } from '../../functions/core/errors.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SplitSpec } from '../../schemas/spec.js';

const { values } = parseArgs({
  options: { input: { type: 'string' }, format: { type: 'string' }, budget: { type: 'string' } },
});
if (!values.input || !values.format || !values.budget)
  throw new Error('usage: --input FILE --format F --budget N|none');
const bytes = new Uint8Array(readFileSync(values.input));
const spec = SplitSpec.parse({
  strategy: 'random',
  seed: 42,
  ratios: { train: 0.8, validation: 0.1, test: 0.1 },
  format: values.format,
});
const maxDecodedBytes = values.budget === 'none' ? undefined : Number(values.budget);
const started = process.hrtime.bigint();
let outcome: string;
let written = 0;
try {
  const result = await splitDataset(bytes, { sha256: '0'.repeat(64), bytes: bytes.byteLength }, spec, {
    maxDecodedBytes,
  });
  written = Object.values(result.artifacts).reduce((sum, a) => sum + a.byteLength, 0);
  outcome = 'split';
} catch (error) {
  outcome = error instanceof SplitvaultError ? error.code : `raw ${String(error).slice(0, 120)}`;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const wasmBytes =
  values.format === 'parquet' ? (await import('parquet-wasm')).wasmMemory().buffer.byteLength : 0;
process.stdout.write(
  `${JSON.stringify({
    input: values.input,
    inputBytes: bytes.byteLength,
    budget: values.budget,
    outcome,
    writtenBytes: written,
    seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    wasmBytes,
  })}\n`,
);
