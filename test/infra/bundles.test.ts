import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLineageStore } from '../../functions/adapters/aws/dynamo-lineage-store.js';
import { S3BlobStore } from '../../functions/adapters/aws/s3-blob-store.js';
import {
  createLineageTable,
  createLockedBucket,
  dynamoClient,
  requireEmulators,
  s3Client,
} from '../conformance/emulator-env.js';
import { audit, job } from '../conformance/records.js';
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
afterAll(() => rmSync(bundles.outdir, { recursive: true, force: true }));

/** Each input file that left code in the bundle, with its bytes there (tree-shaken files are 0). */
const bundledBytes = (dir: string): [string, number][] => {
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  return Object.values(meta.outputs)
    .flatMap((output) => Object.entries(output.inputs))
    .map(([input, { bytesInOutput }]): [string, number] => [input, bytesInOutput])
    .filter(([, bytes]) => bytes > 0);
};

const bundledPackages = (dir: string): Set<string> => {
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as { inputs: object };
  const names = Object.keys(meta.inputs).map(
    (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1],
  );
  return new Set(names.filter((name): name is string => name !== undefined));
};

/** Runs a bundle's handler once in a fresh Node process with the emulators and a backend. */
function invokeBundle<T>(dir: string, event: object, backend: { bucket: string; table: string }): T {
  const output = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', INVOKE_BUNDLE, join(dir, 'index.mjs'), JSON.stringify(event)],
    {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        ...requireEmulators(),
        SPLITVAULT_BACKEND: 'aws',
        SPLITVAULT_BUCKET: backend.bucket,
        SPLITVAULT_TABLE: backend.table,
        SPLITVAULT_RETENTION_MODE: 'GOVERNANCE',
        SPLITVAULT_RETENTION_DAYS: '1',
        SPLITVAULT_WORKER_FUNCTION: 'infra-bundle-worker',
        // The id httpApiGetEvent puts in requestContext: the handler answers no other API.
        SPLITVAULT_API_ID: 'abc123',
      },
    },
  );
  return parseInvokeOutput<T>(output).result;
}

const ENGINE_PACKAGES = ['apache-arrow', 'parquet-wasm', 'hyparquet', 'hyparquet-compressors'];

describe('the Lambda bundles', () => {
  it('keep apache-arrow and the parquet readers out of the API bundle', () => {
    const packages = bundledPackages(bundles.api);
    expect(packages).toContain('hono');
    for (const engine of ENGINE_PACKAGES) expect(packages).not.toContain(engine);
  });

  it('keep the API bundle within its 500 KiB cold-start budget', () => {
    // KiB, as BENCHMARKS.md reports bundle sizes; 498,818 bytes when this budget was set.
    expect(statSync(join(bundles.api, 'index.mjs')).size).toBeLessThanOrEqual(500 * 1024);
  });

  it("leave the Lambda client, the SDK's credential chain, zod's translations and unused S3 schemas out of the API bundle", () => {
    const used = bundledBytes(bundles.api);
    const unwanted = used.filter(([input]) =>
      /client-lambda|credential-provider-node|credential-provider-ini|nested-clients|zod\/v4\/locales\/(?!en\.js)/.test(
        input,
      ),
    );
    expect(unwanted).toEqual([]);
    const s3Schemas = used.filter(([input]) => input.includes('client-s3/dist-es/schemas/'));
    // All of S3's schemas minify to about 66 KB; the API's eight commands need a quarter of that.
    expect(s3Schemas.reduce((sum, [, bytes]) => sum + bytes, 0)).toBeLessThan(30_000);
  });

  it('import the worker bundle without its .wasm file, so WebAssembly is instantiated at first use', () => {
    const alone = mkdtempSync(join(tmpdir(), 'splitvault-worker-alone-'));
    try {
      copyFileSync(join(bundles.worker, 'index.mjs'), join(alone, 'index.mjs'));
      const output = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', INVOKE_BUNDLE, join(alone, 'index.mjs')],
        { encoding: 'utf8', env: { PATH: process.env.PATH } },
      );
      expect(parseInvokeOutput(output).result).toBeNull();
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
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
    const bucket = await createLockedBucket(s3Client(), 'infra-bundle');
    const result = invokeBundle<{ statusCode: number; body: string }>(
      bundles.api,
      httpApiGetEvent('/v1/health'),
      {
        bucket,
        table: 'infra-bundle-table',
      },
    );
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok', service: 'splitvault' });
  });

  it('answer the API Gateway event the benchmark replays (an IAM-authorized GET /v1/aliases)', async () => {
    const bucket = await createLockedBucket(s3Client(), 'infra-event');
    const table = await createLineageTable(dynamoClient(), 'infra-event');
    const event = JSON.parse(
      readFileSync(new URL('../fixtures/api-gateway/get-aliases-v2.json', import.meta.url), 'utf8'),
    );
    const result = invokeBundle<{ statusCode: number; body: string }>(bundles.api, event, { bucket, table });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ items: [] });
  });

  it('freeze a Parquet dataset in the bundled worker, loading parquet-wasm from the bundle directory', async () => {
    const bucket = await createLockedBucket(s3Client(), 'infra-worker');
    const table = await createLineageTable(dynamoClient(), 'infra-worker');
    const blobs = await S3BlobStore.create({ client: s3Client(), bucket });
    const lineage = new DynamoLineageStore({ client: dynamoClient(), tableName: table });
    const bytes = readFileSync(new URL('../fixtures/ingest/table-snappy.parquet', import.meta.url));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await blobs.put('dataset', sha256, new Uint8Array(bytes), bytes.byteLength);
    const createdAt = new Date().toISOString();
    await lineage.registerDataset(
      { sha256, bytes: bytes.byteLength, name: 'table.parquet', createdAt, createdBy: 'alice' },
      audit({ target: `dataset/${sha256}` }),
    );
    // The fixture has five rows: 3, 1 and 1.
    const spec = {
      strategy: 'random',
      seed: 7,
      ratios: { train: 0.6, validation: 0.2, test: 0.2 },
      shuffle: false,
    };
    const jobId = `infra-${Date.now().toString(36)}`;
    await lineage.createJob({ ...job(jobId), input: { dataset: sha256, spec, requestId: 'infra-test' } });
    const result = invokeBundle<{ id: string; state: string }>(bundles.worker, { jobId }, { bucket, table });
    const stored = await lineage.getJob(jobId);
    expect({ result, problem: stored?.problem }).toEqual({
      result: { id: jobId, state: 'succeeded' },
      problem: undefined,
    });
    expect(stored?.manifestId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the synthesized template', () => {
  it('passes cfn-lint', () => {
    // Throws with cfn-lint's findings on a non-zero exit.
    const output = execFileSync('bash', ['scripts/cfn-lint.sh', bundles.templatePath], { encoding: 'utf8' });
    expect(output.trim()).toBe('');
  });
});
