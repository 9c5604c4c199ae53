import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../lib/paths.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Maps function names back to the engine's source files: profiles of the bundled case runner only
 * know the bundle, and a reader wants `functions/core/...` to know whom to ask.
 */
export function functionLocator(
  dirs = [join(ROOT, 'functions', 'core')],
): (name: string) => string | undefined {
  const files = dirs.flatMap(sourceFiles).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const cache = new Map<string, string | undefined>();
  return (name) => {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
    if (!cache.has(name)) {
      const pattern = new RegExp(`(?:function\\*?\\s+${name}\\s*[<(]|\\b${name}\\s*=\\s*(?:async\\s*)?\\()`);
      const hit = files.find((f) => pattern.test(f.text));
      cache.set(name, hit ? relative(ROOT, hit.path) : undefined);
    }
    return cache.get(name);
  };
}
