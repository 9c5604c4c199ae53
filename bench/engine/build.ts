import { join } from 'node:path';
import { build } from 'esbuild';
import { OUT_DIR, ROOT } from '../lib/paths.js';

/**
 * Bundles the engine case runner to plain JavaScript so each measured process is bare `node`,
 * without a TypeScript loader's start-up time and memory in the figures.
 */
export async function buildEngineCase(outDir = OUT_DIR): Promise<string> {
  const outfile = join(outDir, 'engine-case.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench', 'engine', 'engine-case.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages stay in node_modules: parquet-wasm finds its .wasm file next to its own module.
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}
