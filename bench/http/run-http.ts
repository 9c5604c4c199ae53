import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadRoute, type RouteLoad } from './load.js';
import { seedSplit } from './seed-split.js';
import { startServerProcess } from './server-process.js';

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
  const server = await startServerProcess(dataDir, join(workDir, 'server.log'));
  try {
    const { manifestId, alias } = await seedSplit(server.url, datasetFile);
    const routes: [string, string][] = [
      ['GET manifest', `/v1/splits/${manifestId}`],
      ['GET split URL (JSON)', `/v1/splits/${manifestId}/train`],
      ['GET alias split URL (JSON)', `/v1/aliases/${alias}/splits/train`],
    ];
    const results: RouteLoad[] = [];
    for (const [route, path] of routes) {
      process.stderr.write(`http: ${route} for ${seconds} s\n`);
      results.push(await loadRoute(route, server.url, path, seconds));
    }
    return results;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
