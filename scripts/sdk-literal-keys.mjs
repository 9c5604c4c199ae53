// Runs before esbuild bundles the Lambdas (lib/vault-functions.ts): copies the AWS SDK clients they
// use into node_modules/.cache/splitvault-sdk/ with one change, the one proposed upstream in
// smithy-lang/smithy-typescript#1889 for aws/aws-sdk-js-v3#7607. The generated schema file writes
// trait keys as computed keys naming string constants (`{ [_h]: ... }`); esbuild can't prove a
// computed key free of side effects, so it keeps every schema of the service (66 KB of S3's),
// used or not. Writing each key as the literal it names lets esbuild drop the unused ones. The
// result means the same thing, and once the SDK ships the fix this finds no key to rewrite.
// The bundles alias each client to its copy; tests and the CLI keep the untouched package.
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The clients the Lambda bundles import; each gets an esbuild alias to its copy. */
export const CLIENTS = ['client-s3', 'client-dynamodb'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = join(root, 'node_modules', '.cache', 'splitvault-sdk');

/** `[_x]:` → `"value":` for every top-level `const _x = "value";` of one generated file. */
export function literalKeys(source) {
  const strings = new Map();
  for (const match of source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)) strings.set(match[1], match[2]);
  return source.replace(/\[(_\w+)\]:/g, (key, name) => (strings.has(name) ? `${strings.get(name)}:` : key));
}

function prepare(client) {
  const source = join(root, 'node_modules', '@aws-sdk', client);
  const { version } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  const target = join(CACHE, client);
  const current = () => {
    const stamp = join(target, '.splitvault-version');
    return existsSync(stamp) && readFileSync(stamp, 'utf8') === version;
  };
  if (current()) return;
  // Built aside and renamed into place, so a bundling run beside this one never sees half a copy.
  const building = `${target}.${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  cpSync(join(source, 'package.json'), join(building, 'package.json'));
  cpSync(join(source, 'dist-es'), join(building, 'dist-es'), { recursive: true });
  const schemas = join(building, 'dist-es', 'schemas');
  for (const file of readdirSync(schemas).filter((name) => name.endsWith('.js'))) {
    const path = join(schemas, file);
    writeFileSync(path, literalKeys(readFileSync(path, 'utf8')));
  }
  writeFileSync(join(building, '.splitvault-version'), version);
  // A copy another bundling run finished meanwhile may be in use: keep it, drop ours.
  if (!current()) rmSync(target, { recursive: true, force: true });
  try {
    renameSync(building, target);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const client of CLIENTS) prepare(client);
