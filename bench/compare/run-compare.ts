import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SplitName } from '../../schemas/common.js';
import type { CaseResult } from '../engine/case-result.js';
import { runEngineCase } from '../engine/run-engine.js';
import type { BenchConfig, BenchFormat } from '../lib/config.js';
import type { DatasetMeta } from '../lib/dataset.js';
import { runChild } from '../lib/run-child.js';
import { median } from '../lib/stats.js';
import { CEILING_SCRIPT, type Peer, PYTHON_PEERS, peerEnv } from './peers.js';

export const SPLITVAULT = 'splitvault';

/** Medians of one peer's runs on one file. */
export interface PeerFigures {
  readonly peer: string;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly maxRssBytes: number;
  readonly runs: number;
  /** Row counts of the three files, identical in every run or the run fails. */
  readonly rows: Readonly<Record<SplitName, number>>;
}

export interface Ceiling {
  readonly sha256MBps: number;
  readonly copyMBps: number;
}

export interface CompareFormatResult {
  readonly format: BenchFormat;
  readonly inputBytes: number;
  readonly peers: readonly PeerFigures[];
  readonly ceiling: Ceiling;
}

export interface CompareRowsResult {
  readonly rows: number;
  readonly formats: readonly CompareFormatResult[];
}

function rowCounts(result: CaseResult): Record<SplitName, number> {
  return {
    train: result.splits.train.rows,
    validation: result.splits.validation.rows,
    test: result.splits.test.rows,
  };
}

export interface CompareOptions {
  readonly config: BenchConfig;
  readonly meta: DatasetMeta;
  readonly caseFile: string;
  readonly python: string;
  readonly outDir: string;
  /** Peers to run; the smoke run passes one. */
  readonly peers?: readonly Peer[];
  /** Called after each format with the results so far, so a long run can publish as it goes. */
  readonly onFormat?: (partial: CompareRowsResult) => void;
}

/** How fast one core SHA-256es and copies the bytes of `file`: the ceilings the engine is held to. */
export async function measureCeiling(python: string, file: string): Promise<Ceiling> {
  const { result } = await runChild<Ceiling>(python, [CEILING_SCRIPT, file]);
  return { sha256MBps: result.sha256MBps, copyMBps: result.copyMBps };
}

/**
 * Runs splitvault and every peer on each format, alternating their order from run to run so no one
 * always goes first (warm page cache, turbo), and keeps each one's medians.
 */
export async function runCompare(options: CompareOptions): Promise<CompareRowsResult> {
  const { config, meta, caseFile, python, outDir } = options;
  const peers = options.peers ?? PYTHON_PEERS.filter((p) => config.peers.includes(p.name));
  const formats: CompareFormatResult[] = [];
  for (const format of config.formats) {
    const file = meta.files[format].path;
    const out = (name: string) => join(outDir, name.replace(/[^a-z0-9-]/g, '-'));
    const runOne = async (
      name: string,
      sizes: string,
    ): Promise<{ wallSeconds: number; result: CaseResult }> => {
      rmSync(out(name), { recursive: true, force: true });
      try {
        if (name === SPLITVAULT)
          return await runEngineCase(caseFile, 'e2e', file, format, config.seed, out(name));
        const peer = peers.find((p) => p.name === name)!;
        const args = [
          peer.script,
          '--input',
          file,
          '--format',
          format,
          '--out',
          out(name),
          '--seed',
          String(config.seed),
          '--sizes',
          sizes,
        ];
        return await runChild<CaseResult>(python, args, { env: peerEnv() });
      } finally {
        rmSync(out(name), { recursive: true, force: true });
      }
    };
    // The engine decides the three sizes; every peer is asked for exactly those.
    const first = await runOne(SPLITVAULT, '');
    const want = rowCounts(first.result);
    const sizes = `${want.train},${want.validation},${want.test}`;
    const names = [SPLITVAULT, ...peers.map((p) => p.name)];
    const samples = new Map<string, { wallSeconds: number; result: CaseResult }[]>(names.map((n) => [n, []]));
    samples.get(SPLITVAULT)!.push(first);
    for (let run = 0; run < config.runs; run++) {
      const order = names.map((_, i) => names[(i + run) % names.length]!);
      for (const name of order) {
        if (name === SPLITVAULT && run === 0) continue;
        process.stderr.write(`compare: ${meta.rows} rows ${format} ${name} run ${run + 1}/${config.runs}\n`);
        const sample = await runOne(name, sizes);
        const got = rowCounts(sample.result);
        if (got.train !== want.train || got.validation !== want.validation || got.test !== want.test) {
          throw new Error(
            `${name} wrote ${JSON.stringify(got)} rows on ${format}, expected ${JSON.stringify(want)}`,
          );
        }
        samples.get(name)!.push(sample);
      }
    }
    const ceiling = await measureCeiling(python, file);
    formats.push({
      format,
      inputBytes: meta.files[format].bytes,
      ceiling,
      peers: names.map((name) => {
        const runs = samples.get(name)!;
        return {
          peer: name,
          wallSeconds: median(runs.map((r) => r.wallSeconds)),
          cpuSeconds: median(runs.map((r) => r.result.cpuSeconds)),
          maxRssBytes: median(runs.map((r) => r.result.maxRssBytes)),
          runs: runs.length,
          rows: rowCounts(runs[0]!.result),
        };
      }),
    });
    options.onFormat?.({ rows: meta.rows, formats: [...formats] });
  }
  return { rows: meta.rows, formats };
}
