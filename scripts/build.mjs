// Bundles the CLI into one ESM file. Dependencies stay external (resolved from node_modules
// at run time) so the bundle stays small and native or WASM packages load the usual way.
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist/cli/splitvault.mjs');

await mkdir(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, 'bin/splitvault.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
await chmod(outfile, 0o755);
