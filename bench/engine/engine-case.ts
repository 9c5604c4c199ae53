/**
 * One engine measurement in a fresh process, so its peak RSS belongs to this case alone.
 *
 *   node engine-case.mjs --mode e2e|stages --input FILE --format csv|parquet|arrow --seed N [--out DIR]
 *
 * "e2e" is what a user runs: read the file, address it, split it, write three hashed Arrow files.
 * "stages" times each stage on its own. Prints one JSON line (see CaseResult).
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../schemas/common.js';
import { SplitSpec } from '../../schemas/spec.js';
import type { CaseResult, SplitRows } from './case-result.js';
import { type StageTime, sha256Hex, timeStages } from './stages.js';

/** The whole file in one buffer; readFileSync refuses files over 2 GiB, which 10M-row CSVs are. */
function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const out = Buffer.allocUnsafe(fstatSync(fd).size);
    for (let at = 0; at < out.length; ) {
      const got = readSync(fd, out, at, Math.min(1 << 30, out.length - at), at);
      if (got === 0) throw new Error(`${path} ended after ${at} of ${out.length} bytes`);
      at += got;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      input: { type: 'string' },
      format: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const { mode, input, format } = values;
  if ((mode !== 'e2e' && mode !== 'stages') || !input || !format) {
    throw new Error(
      `usage: --mode e2e|stages --input FILE --format FMT --seed N, got ${JSON.stringify(values)}`,
    );
  }
  const spec = SplitSpec.parse({
    strategy: 'random',
    seed: Number(values.seed ?? '42'),
    ratios: { train: 0.8, validation: 0.1, test: 0.1 },
    format,
  });
  const started = process.hrtime.bigint();
  const source = readWhole(input);
  const bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  let stages: Record<string, StageTime> = {};
  let splits: SplitRows;
  if (mode === 'stages') {
    const timed = await timeStages(bytes, spec);
    stages = timed.times;
    splits = timed.splits;
  } else {
    const outcome = await splitDataset(bytes, { sha256: sha256Hex(bytes), bytes: bytes.byteLength }, spec);
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      for (const name of SPLIT_NAMES)
        writeFileSync(join(values.out, `${name}.arrow`), outcome.artifacts[name]);
      writeFileSync(join(values.out, 'manifest.json'), JSON.stringify(outcome.manifest));
    }
    splits = outcome.manifest.splits;
  }
  const result: CaseResult = {
    peer: 'splitvault',
    mode,
    format,
    inputBytes: bytes.byteLength,
    innerSeconds: seconds(started),
    // resourceUsage() gives KiB and microseconds.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
    stages,
    splits,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
