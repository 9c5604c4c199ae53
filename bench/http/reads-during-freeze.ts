import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '../../functions/client/index.js';
import { startServerProcess } from './server-process.js';

/** Latency of one read route, measured by a client that sends one request at a time. */
export interface ReadDuringFreeze {
  readonly route: string;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface FreezeReads {
  readonly rows: number;
  /** From the job turning `running` to it finishing, as the reading client saw it. */
  readonly freezeSeconds: number;
  /** Reads that got no answer or an error status: should be 0. */
  readonly failures: number;
  readonly routes: readonly ReadDuringFreeze[];
}

const PERIOD_MS = 20;
const STAGE: Readonly<Record<string, number>> = { queued: 0, running: 1, succeeded: 2, failed: 2 };

function summary(route: string, latencies: number[]): ReadDuringFreeze {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return { route, requests: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? NaN };
}

async function timed(url: string): Promise<[number, unknown]> {
  const start = performance.now();
  const response = await fetch(url);
  const body = (await response.json()) as unknown;
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return [performance.now() - start, body];
}

/**
 * Starts the embedded server, uploads `file` and submits one freeze, then alternates
 * GET /v1/health and GET /v1/jobs/{id} every 20 ms for as long as the job runs: the reads clients make while a
 * big freeze is in progress. Always stops the server.
 */
export async function runReadsDuringFreeze(
  file: string,
  rows: number,
  workDir: string,
): Promise<FreezeReads> {
  mkdirSync(workDir, { recursive: true });
  const dataDir = mkdtempSync(join(workDir, 'freeze-data-'));
  const server = await startServerProcess(dataDir, join(workDir, 'freeze-server.log'));
  try {
    const client = createClient({ url: server.url });
    const bytes = readFileSync(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const created = await client.createDataset({ sha256, bytes: bytes.byteLength, name: 'bench.csv' });
    if (created.upload) await client.uploadDataset(created.upload, Readable.from([bytes]), bytes.byteLength);
    const spec = { strategy: 'random', seed: 2, ratios: { train: 0.8, validation: 0.1, test: 0.1 } } as const;
    const outcome = await client.freeze({ dataset: sha256, spec });
    if (outcome.state !== 'pending') throw new Error('the freeze finished before it could be observed');
    const jobUrl = `${server.url}/v1/jobs/${outcome.job.id}`;
    const health: number[] = [];
    const job: number[] = [];
    let state = 'queued';
    let runningSince: number | undefined;
    // Open loop: a request every PERIOD_MS whether or not earlier ones were answered, so a
    // stalled event loop shows as many slow answers, not as one (no coordinated omission).
    const inFlight = new Set<Promise<void>>();
    let failures = 0;
    while (state === 'queued' || state === 'running') {
      const counting = state === 'running';
      const tick = Promise.all([timed(`${server.url}/v1/health`), timed(jobUrl)]).then(
        ([[healthMs], [jobMs, body]]) => {
          // Answers can overtake each other; the job's state only moves forward.
          const seen = (body as { state: string }).state;
          if ((STAGE[seen] ?? 0) > (STAGE[state] ?? 0)) state = seen;
          if (!counting) return;
          runningSince ??= performance.now() - healthMs;
          health.push(healthMs);
          job.push(jobMs);
        },
      );
      const settled = tick.catch(() => {
        failures += 1;
      });
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
      await new Promise((resolve) => setTimeout(resolve, PERIOD_MS));
    }
    await Promise.all(inFlight);
    if (state !== 'succeeded') throw new Error(`the benchmark freeze ended ${state}`);
    return {
      rows,
      failures,
      freezeSeconds: runningSince === undefined ? 0 : (performance.now() - runningSince) / 1000,
      routes: [summary('GET /v1/health', health), summary('GET /v1/jobs/{id}', job)],
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
