import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLockedBucket, requireEmulators, s3Client } from '../conformance/emulator-env.js';
import {
  type BundledFunctions,
  bundleFunctions,
  httpApiGetEvent,
  INVOKE_BUNDLE,
  parseInvokeOutput,
} from './bundle-assets.js';

// One real synthesis (esbuild bundling included) shared by every test in this file.
let bundles: BundledFunctions;
beforeAll(() => {
  bundles = bundleFunctions();
});

const bundledPackages = (dir: string): Set<string> => {
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as { inputs: object };
  const names = Object.keys(meta.inputs).map(
    (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1],
  );
  return new Set(names.filter((name): name is string => name !== undefined));
};

const ENGINE_PACKAGES = ['apache-arrow', 'parquet-wasm', 'hyparquet', 'hyparquet-compressors'];

describe('the Lambda bundles', () => {
  it('keep apache-arrow and the parquet readers out of the API bundle', () => {
    const packages = bundledPackages(bundles.api);
    expect(packages).toContain('hono');
    for (const engine of ENGINE_PACKAGES) expect(packages).not.toContain(engine);
  });

  it('put the engine in the worker bundle, with the .wasm file parquet-wasm reads beside it', () => {
    const packages = bundledPackages(bundles.worker);
    expect(packages).toContain('apache-arrow');
    expect(packages).toContain('parquet-wasm');
    expect(existsSync(join(bundles.worker, 'parquet_wasm_bg.wasm'))).toBe(true);
  });

  it('are ES modules with source maps and no free __dirname, which ESM does not define', () => {
    for (const dir of [bundles.api, bundles.worker]) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      expect(code).not.toMatch(/(?<![\w$])__dirname(?![\w$])/);
    }
  });

  it('answer an API Gateway health event from the bundled API function in a fresh Node process', async () => {
    const env = requireEmulators();
    const bucket = await createLockedBucket(s3Client(), 'infra-bundle');
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        INVOKE_BUNDLE,
        join(bundles.api, 'index.mjs'),
        JSON.stringify(httpApiGetEvent('/v1/health')),
      ],
      {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          ...env,
          SPLITVAULT_BACKEND: 'aws',
          SPLITVAULT_BUCKET: bucket,
          SPLITVAULT_TABLE: 'infra-bundle-table',
          SPLITVAULT_RETENTION_MODE: 'GOVERNANCE',
          SPLITVAULT_RETENTION_DAYS: '1',
          SPLITVAULT_WORKER_FUNCTION: 'infra-bundle-worker',
        },
      },
    );
    const { result } = parseInvokeOutput<{ statusCode: number; body: string }>(output);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok', service: 'splitvault' });
  });
});

describe('the synthesized template', () => {
  it('passes cfn-lint', () => {
    // Throws with cfn-lint's findings on a non-zero exit.
    const output = execFileSync('bash', ['scripts/cfn-lint.sh', bundles.templatePath], { encoding: 'utf8' });
    expect(output.trim()).toBe('');
  });
});
