// Bundles the CLI and the TypeScript client into one ESM file each, and writes the client's
// type declarations. Dependencies stay external (resolved from node_modules at run time) so the
// bundles stay small and native or WASM packages load the usual way; package.json lists them.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/cli/splitvault.mjs');
const options = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await mkdir(dirname(cli), { recursive: true });
await build({ ...options, entryPoints: [join(root, 'bin/splitvault.ts')], outfile: cli });
await chmod(cli, 0o755);
// `splitvault/client` in package.json's exports map.
await build({
  ...options,
  entryPoints: [join(root, 'functions/client/index.ts')],
  outfile: join(root, 'dist/client/index.mjs'),
});
execFileSync(
  process.execPath,
  [
    createRequire(import.meta.url).resolve('typescript/bin/tsc'),
    ...['--project', join(root, 'tsconfig.client.json')],
  ],
  { stdio: 'inherit' },
);
