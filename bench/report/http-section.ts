import type { RouteLoad } from '../http/load.js';
import type { FreezeReads } from '../http/reads-during-freeze.js';
import { fixed, table } from './format.js';

/** Requests per second and latency of the embedded server's read routes. */
export function httpSection(loads: readonly RouteLoad[] | undefined, header: string, why?: string): string {
  const parts = ['## HTTP API (embedded server, read routes)', '', header, ''];
  if (!loads) {
    parts.push(`Not measured in this run: ${why ?? 'skipped'}.`);
    return parts.join('\n');
  }
  const first = loads[0];
  parts.push(
    `The embedded server (\`functions/handlers/node.ts\`: file system + SQLite) runs in its own process on`,
    `127.0.0.1; autocannon loads each route from a second process with ${first?.connections ?? 0} connections for`,
    `${first?.seconds ?? 0} s. The server writes its per-request JSON log to a file throughout. Both share the same`,
    'two cores (and, during this run, with other work), so req/s and client latency are a floor for a',
    'dedicated host. "Server CPU/req" (from /proc) and the latency the server logged for its own handler are',
    'what the route itself costs; 1000 / (CPU ms per request) is the req/s one core could serve.',
    '',
    table(
      ['route', 'path', 'req/s', 'p50', 'p99', 'requests', 'failures', 'server CPU/req', 'handler p50 / p99'],
      loads.map((l) => [
        l.route,
        `\`${l.path.replace(/[0-9a-f]{64}/, '{id}')}\``,
        fixed(l.requestsPerSecond, 0),
        `${fixed(l.p50Ms, 1)} ms`,
        `${fixed(l.p99Ms, 1)} ms`,
        String(l.total),
        String(l.failures),
        l.serverCpuMsPerRequest === undefined ? 'n/a' : `${fixed(l.serverCpuMsPerRequest, 2)} ms`,
        l.serverP50Ms === undefined
          ? 'n/a'
          : `${fixed(l.serverP50Ms, 1)} / ${fixed(l.serverP99Ms ?? NaN, 1)} ms`,
      ]),
    ),
  );
  return parts.join('\n');
}

/** Read latency while a big freeze runs: what the worker thread keeps off the event loop. */
export function freezeReadsSection(reads: FreezeReads, header: string): string {
  return [
    '## HTTP reads during a freeze (embedded server)',
    '',
    header,
    '',
    `A client submits a freeze of the ${reads.rows.toLocaleString('en-US')}-row CSV, then sends GET /v1/health and`,
    'GET /v1/jobs/{id} every 20 ms (open loop: a stalled server collects a backlog of slow answers',
    `rather than one) for as long as the job is \`running\` (${fixed(reads.freezeSeconds, 1)} s here). The job's work`,
    'runs in a worker thread, so the event loop that answers reads stays free; the target is p99 under 50 ms.',
    `Reads without an answer or with an error status: ${reads.failures}.`,
    '',
    table(
      ['route', 'requests', 'p50', 'p99', 'max'],
      reads.routes.map((r) => [
        r.route,
        String(r.requests),
        `${fixed(r.p50Ms, 1)} ms`,
        `${fixed(r.p99Ms, 1)} ms`,
        `${fixed(r.maxMs, 1)} ms`,
      ]),
    ),
  ].join('\n');
}
