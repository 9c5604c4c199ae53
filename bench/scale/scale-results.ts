/**
 * The scale part's measurements, kept in one JSON file across invocations, so a long grid can be
 * run in pieces (the 1-worker side today, the 2-worker side once the pool lands, a rerun of one
 * size on a quieter machine) and the report always shows the latest samples of every case.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One measured run of one contender on one dataset. */
export interface ScaleSample {
  readonly wallSeconds: number;
  readonly peakRssBytes: number;
  /** CPU seconds, every thread: the peer process's own, or the server's during the job (absent in early runs). */
  readonly cpuSeconds?: number;
  /** The server's RSS before the job (absent for the peers). */
  readonly idleRssBytes?: number;
  readonly manifestId?: string;
  readonly rows: Readonly<Record<'train' | 'validation' | 'test', number>>;
  /** Seconds from submission at which each job stage was first seen (server only). */
  readonly stages?: Readonly<Record<string, number>>;
  /** 1-minute load average when the run started: how busy the shared machine was. */
  readonly load: number;
  readonly date: string;
}

/** Every sample of one contender (splitvault at a worker count, or a peer) on one dataset. */
export interface ScaleCase {
  readonly rows: number;
  readonly format: 'csv' | 'parquet';
  readonly files: number;
  readonly inputBytes: number;
  /** "splitvault" or a peer's name. */
  readonly contender: string;
  /** SPLITVAULT_WORKERS (splitvault only). */
  readonly workers?: number;
  /** SPLITVAULT_WORKER_MEMORY (splitvault only). */
  readonly budgetBytes?: number;
  /** Which engine the budget sends this dataset to (splitvault only). */
  readonly engine?: 'sharded' | 'one-process';
  readonly command: string;
  readonly samples: readonly ScaleSample[];
}

export function caseKey(c: Pick<ScaleCase, 'rows' | 'format' | 'contender' | 'workers'>): string {
  return `${c.rows}/${c.format}/${c.contender}/${c.workers ?? ''}`;
}

/** The stored cases, keyed; an invocation replaces the cases it measures and keeps the others. */
export class ScaleResults {
  private readonly cases = new Map<string, ScaleCase>();
  private readonly fresh = new Set<string>();

  constructor(private readonly path: string) {
    if (existsSync(path)) {
      for (const c of JSON.parse(readFileSync(path, 'utf8')) as ScaleCase[]) this.cases.set(caseKey(c), c);
    }
  }

  /** Adds a sample; the first one this invocation adds to a case drops that case's older samples. */
  add(c: Omit<ScaleCase, 'samples'>, sample: ScaleSample): void {
    const key = caseKey(c);
    const before = this.fresh.has(key) ? (this.cases.get(key)?.samples ?? []) : [];
    this.fresh.add(key);
    this.cases.set(key, { ...c, samples: [...before, sample] });
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, JSON.stringify([...this.cases.values()], null, 1));
  }

  all(): ScaleCase[] {
    return [...this.cases.values()].sort(
      (a, b) =>
        a.rows - b.rows ||
        a.format.localeCompare(b.format) ||
        (a.workers ?? 99) - (b.workers ?? 99) ||
        a.contender.localeCompare(b.contender),
    );
  }
}
