import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadRoute, type RouteLoad } from './load.js';
import { seedSplit } from './seed-split.js';
import { processCpuSeconds, startServerProcess } from './server-process.js';

function percentile(sorted: readonly number[], p: number): number | undefined {
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : undefined;
}

/** p50 and p99 of the latencyMs the server logged for one route pattern. */
function serverLatency(logFile: string, pattern: string) {
  const latencies: number[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes(`"route":"${pattern}"`)) continue;
    const latency = (JSON.parse(line) as { latencyMs?: number }).latencyMs;
    if (typeof latency === 'number') latencies.push(latency);
  }
  latencies.sort((a, b) => a - b);
  return { serverP50Ms: percentile(latencies, 50), serverP99Ms: percentile(latencies, 99) };
}

/**
 * Starts the embedded server in a child process, freezes one split through it, then loads three
 * read routes one after the other from another process, `seconds` each. Always stops the server.
 */
export async function runHttpBench(
  datasetFile: string,
  workDir: string,
  seconds: number,
): Promise<RouteLoad[]> {
  mkdirSync(workDir, { recursive: true });
  const dataDir = mkdtempSync(join(workDir, 'server-data-'));
  const logFile = join(workDir, 'server.log');
  const server = await startServerProcess(dataDir, logFile);
  try {
    const { manifestId, alias } = await seedSplit(server.url, datasetFile);
    const routes: [string, string, string][] = [
      ['GET manifest', `/v1/splits/${manifestId}`, '/v1/splits/:id'],
      ['GET split URL (JSON)', `/v1/splits/${manifestId}/train`, '/v1/splits/:id/:split'],
      ['GET alias split URL (JSON)', `/v1/aliases/${alias}/splits/train`, '/v1/aliases/:name/splits/:split'],
    ];
    const results: RouteLoad[] = [];
    for (const [route, path, pattern] of routes) {
      process.stderr.write(`http: ${route} for ${seconds} s\n`);
      const cpuBefore = processCpuSeconds(server.pid);
      const load = await loadRoute(route, server.url, path, seconds);
      const cpuAfter = processCpuSeconds(server.pid);
      const cpu =
        cpuBefore !== undefined && cpuAfter !== undefined && load.total > 0
          ? { serverCpuMsPerRequest: ((cpuAfter - cpuBefore) * 1000) / load.total }
          : {};
      results.push({ ...load, ...cpu, ...serverLatency(logFile, pattern) });
    }
    return results;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
