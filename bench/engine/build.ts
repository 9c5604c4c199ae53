import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { OUT_DIR, ROOT } from '../lib/paths.js';

/**
 * Bundles the engine case runner to plain JavaScript so each measured process is bare `node`,
 * without a TypeScript loader's start-up time and memory in the figures.
 *
 * The bundle lives in bench/out (so its bare imports resolve from the repo's node_modules) under a
 * name taken from its content: concurrent runs of the same code share one file, never overwrite it.
 */
export async function buildEngineCase(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'bench', 'engine', 'engine-case.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages stay in node_modules: parquet-wasm finds its .wasm file next to its own module.
    packages: 'external',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0]!.contents;
  const dir = join(OUT_DIR, 'build');
  const file = join(dir, `engine-case-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return file;
}
