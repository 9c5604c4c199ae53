import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context } from 'hono';
import type { AppEnv } from '../api/context.js';

/** The console's style sheet and script, each served under a name that carries its hash. */
export interface ConsoleAssets {
  readonly css: string;
  readonly js: string;
  serve(c: Context<AppEnv>): Response;
}

const TYPES = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' } as const;

/**
 * Reads console.css and console.js from `dir` once, when the console is built. The hash in
 * each URL is of the bytes served, so a year-long immutable cache can never serve a stale file:
 * changed bytes get a new name. The console Lambda's bundling minifies both into the bundle's
 * assets/ folder (lib/vault-console.ts); `npm start` serves them from the source tree.
 */
export function loadAssets(dir: URL): ConsoleAssets {
  const files = new Map<string, { bytes: Uint8Array; type: string }>();
  const add = (kind: keyof typeof TYPES) => {
    const bytes = new Uint8Array(readFileSync(new URL(`console.${kind}`, dir)));
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    const name = `console.${hash}.${kind}`;
    files.set(name, { bytes, type: TYPES[kind] });
    return `/ui/assets/${name}`;
  };
  const css = add('css');
  const js = add('js');
  return {
    css,
    js,
    serve(c) {
      const file = files.get(c.req.param('file') ?? '');
      if (!file) return c.text('no such asset', 404);
      return c.body(file.bytes.slice().buffer, 200, {
        'content-type': file.type,
        'cache-control': 'public, max-age=31536000, immutable',
      });
    },
  };
}
