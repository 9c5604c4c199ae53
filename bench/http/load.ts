import { join } from 'node:path';
import { ROOT } from '../lib/paths.js';
import { runChild } from '../lib/run-child.js';

/** One route under load: throughput and latency percentiles from autocannon. */
export interface RouteLoad {
  readonly route: string;
  readonly path: string;
  readonly seconds: number;
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly total: number;
  /** Responses outside 2xx plus socket errors and timeouts: all should be 0. */
  readonly failures: number;
  /** Server CPU milliseconds per request, from /proc: what the route costs, whatever the load. */
  readonly serverCpuMsPerRequest?: number;
  /** Handler latency the server itself logged (middleware in to response out). */
  readonly serverP50Ms?: number;
  readonly serverP99Ms?: number;
}

interface AutocannonJson {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/**
 * Loads one URL from a separate process (autocannon's CLI) for a fixed duration: the run is
 * bounded by `-d` and stops by itself; the child is also killed if it overstays.
 */
export async function loadRoute(
  route: string,
  baseUrl: string,
  path: string,
  seconds: number,
  connections = 10,
) {
  const bin = join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
  const args = [
    bin,
    '-j',
    '-d',
    String(seconds),
    '-c',
    String(connections),
    '-H',
    'accept=application/json',
    `${baseUrl}${path}`,
  ];
  const { result } = await runChild<AutocannonJson>(process.execPath, args, {
    timeoutMs: (seconds + 30) * 1000,
  });
  const load: RouteLoad = {
    route,
    path,
    seconds,
    connections,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
  return load;
}
