import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// A plain .mjs (it runs before esbuild, outside TypeScript), loaded through a variable specifier.
const SCRIPT = '../../scripts/sdk-literal-keys.mjs';
const { literalKeys } = (await import(SCRIPT)) as { literalKeys: (source: string) => string };

describe('the SDK schema key rewrite', () => {
  it('writes computed keys that name string constants as those strings, and nothing else', () => {
    const source = [
      'const _h = "http";',
      'const _hE = "httpError";',
      'let _v = "var";',
      'export var A$ = [9, n0, _h, { [_h]: ["GET", "/", 200], [_hE]: 404, [_v]: 1, [other]: 2 }, () => B$];',
    ].join('\n');
    expect(literalKeys(source).split('\n').at(-1)).toBe(
      'export var A$ = [9, n0, _h, { "http": ["GET", "/", 200], "httpError": 404, [_v]: 1, [other]: 2 }, () => B$];',
    );
  });

  it.each(['client-s3', 'client-dynamodb'])(
    "leaves no computed key in %s's generated schemas, so esbuild can drop the unused ones",
    (client) => {
      const source = readFileSync(`node_modules/@aws-sdk/${client}/dist-es/schemas/schemas_0.js`, 'utf8');
      expect(source).toMatch(/\[_\w+\]:/);
      expect(literalKeys(source)).not.toMatch(/\[[^\]]+\]:/);
    },
  );
});
