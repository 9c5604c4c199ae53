import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { synthStack } from './synth.js';

export interface BundledFunctions {
  readonly outdir: string;
  readonly templatePath: string;
  /** Directory of each function's asset, holding index.mjs, its map and index.meta.json. */
  readonly api: string;
  readonly worker: string;
  /** The console function (the `console` prop is on in this synthesis). */
  readonly console: string;
  /** The freeze state machine's two functions. */
  readonly freezeCoordinator: string;
  readonly freezeShard: string;
}

/** Synthesizes the stack with real esbuild bundling into a fresh directory. */
export function bundleFunctions(): BundledFunctions {
  const outdir = mkdtempSync(join(tmpdir(), 'splitvault-synth-'));
  const { stack, template } = synthStack({ bundle: true, outdir, props: { vault: { console: true } } });
  const resources = template.toJSON().Resources as Record<string, { Metadata?: Record<string, string> }>;
  const assetDir = (fn: { node: { defaultChild?: unknown } }) => {
    const id = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    const path = resources[id]?.Metadata?.['aws:asset:path'];
    if (!path) throw new Error(`function ${id} has no asset path in its metadata`);
    return join(outdir, path);
  };
  return {
    outdir,
    templatePath: join(outdir, `${stack.artifactId}.template.json`),
    api: assetDir(stack.vault.apiFunction),
    worker: assetDir(stack.vault.workerFunction),
    console: assetDir(stack.vault.consoleFunction!),
    freezeCoordinator: assetDir(stack.vault.freezeCoordinatorFunction),
    freezeShard: assetDir(stack.vault.freezeShardFunction),
  };
}

/** An API Gateway HTTP API (payload 2.0) event for an unauthenticated GET. */
export function httpApiGetEvent(path: string): Record<string, unknown> {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'splitvault-infra-test' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'GET',
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'splitvault-infra-test',
      },
      requestId: 'infra-test',
      routeKey: `GET ${path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

const RESULT_MARKER = '@@splitvault-invoke-result ';

/** The handler's own logs share stdout, so the result travels on a marked line. */
export function parseInvokeOutput<T>(stdout: string): {
  importMs: number;
  /** CPU time (user + system) of the import: what contention for the cores cannot inflate. */
  importCpuMs: number;
  invokeMs: number | null;
  result: T;
} {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (!line) throw new Error(`no result line in the child's output:\n${stdout}`);
  return JSON.parse(line.slice(RESULT_MARKER.length));
}

/**
 * Node code that imports a bundle and calls its handler once with an event, printing the
 * result, the import time and the first invocation's time (the rest of a cold start: config,
 * clients, the app, and the request itself). Runs with
 * `node --input-type=module -e CODE bundle [eventJson]`; without an event it only imports.
 */
export const INVOKE_BUNDLE = `
const RESULT_MARKER = '${RESULT_MARKER}';
const [bundle, eventJson] = process.argv.slice(1);
const { pathToFileURL } = await import('node:url');
const cpu = process.cpuUsage();
const started = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const importMs = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
const importCpuMs = (user + system) / 1000;
const invoked = performance.now();
const result = eventJson === undefined
  ? null
  : await mod.handler(JSON.parse(eventJson), { awsRequestId: 'infra-test', functionName: 'api' });
const invokeMs = eventJson === undefined ? null : performance.now() - invoked;
process.stdout.write('\\n' + RESULT_MARKER + JSON.stringify({ importMs, importCpuMs, invokeMs, result }) + '\\n');
`;
