import { tableFromIPC } from 'apache-arrow';
import type { LambdaContext } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLambdaHandler } from '../../functions/handlers/lambda.js';
import { LambdaDispatcher } from '../../functions/handlers/lambda-dispatcher.js';
import { createWorkerHandler, workerDepsFromConfig } from '../../functions/handlers/worker.js';
import { MAX_STORED_PART_BYTES } from '../../schemas/api.js';
import { freshAwsConfig } from '../conformance/emulator-env.js';
import { csvDataset, RANDOM_SPEC, sha256Of } from './support/dataset.js';
import { FAKE_CREDENTIALS, FAKE_REGION, type FakeLambda, startFakeLambda } from './support/fake-lambda.js';
import { API_ID, CALLER_ARN, gatewayEvent } from './support/gateway-event.js';

type Handler = Awaited<ReturnType<typeof createLambdaHandler>>;

/**
 * The API Lambda handler against versitygw + moto, given API Gateway v2 events. The worker
 * runs in-process: a local stand-in for Lambda's Invoke API checks the signed async invoke
 * and hands its payload to worker.ts.
 */
describe('the API Lambda handler on the emulators', () => {
  let handler: Handler;
  let lambda: FakeLambda;

  beforeAll(async () => {
    const config = await freshAwsConfig('lambda', {
      SPLITVAULT_WORKER_FUNCTION: 'splitvault-worker',
      SPLITVAULT_API_ID: API_ID,
    });
    const worker = createWorkerHandler(await workerDepsFromConfig(config));
    lambda = await startFakeLambda((payload) => void worker(payload));
    handler = await createLambdaHandler({
      config,
      jobs: new LambdaDispatcher({
        functionName: 'splitvault-worker',
        region: FAKE_REGION,
        credentials: async () => FAKE_CREDENTIALS,
        endpoint: lambda.endpoint,
      }),
    });
  });
  afterAll(() => lambda.close());

  async function invoke(...args: Parameters<typeof gatewayEvent>) {
    const result = (await handler(gatewayEvent(...args), {} as LambdaContext)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
  }

  it('refuses an event that came through another HTTP API, before any route runs', async () => {
    const event = gatewayEvent('GET', '/v1/aliases');
    const foreign = { ...event, requestContext: { ...event.requestContext, apiId: 'other99' } };
    const answer = (await handler(foreign as typeof event, {} as LambdaContext)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(answer.statusCode).toBe(403);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'AUTH.FOREIGN_API' });
    const direct = { ...event, requestContext: undefined };
    expect((await handler(direct as unknown as typeof event, {} as LambdaContext)).statusCode).toBe(403);
  });

  it('refuses to start without the id of the API it serves', async () => {
    const config = await freshAwsConfig('lambda-noid', { SPLITVAULT_WORKER_FUNCTION: 'splitvault-worker' });
    await expect(createLambdaHandler({ config })).rejects.toThrow(/SPLITVAULT_API_ID/);
  });

  it('answers 413 for an environment above the stored-part limit, before any job is recorded', async () => {
    const data = csvDataset(50, 3);
    await upload(data);
    const before = lambda.invocations.length;
    const answer = await invoke('POST', '/v1/splits', {
      body: { dataset: data.sha256, spec: RANDOM_SPEC, environment: { pad: 'x'.repeat(500 * 1024) } },
    });
    expect(answer.statusCode).toBe(413);
    expect(answer.json).toMatchObject({ code: 'REQUEST.PART_TOO_LARGE' });
    expect(answer.json.errors[0].path).toBe('environment');
    expect(lambda.invocations.length).toBe(before);
  });

  it('stores provenance and environment at their limits in DynamoDB, whether the job succeeds or fails', async () => {
    const data = csvDataset(60, 3);
    await upload(data);
    const pad = (label: string) => ({ [label]: 'é'.repeat((MAX_STORED_PART_BYTES - 40) / 2) });
    const provenance = { note: 'limits', preprocessing: ['x'.repeat(2000)] };
    const body = { dataset: data.sha256, spec: RANDOM_SPEC, provenance, environment: pad('env') };
    const frozen = await invoke('POST', '/v1/splits?wait=30', { body });
    expect(frozen.statusCode).toBe(201);
    expect(frozen.json.job.state).toBe('succeeded');
    const failing = { ...body, spec: { ...RANDOM_SPEC, strategy: 'group', groupBy: 'no_such_column' } };
    const failed = await invoke('POST', '/v1/splits?wait=30', { body: failing });
    expect(failed.statusCode).toBeGreaterThanOrEqual(400);
    const { jobId } = lambda.invocations.at(-1)!.payload as { jobId: string };
    expect((await invoke('GET', `/v1/jobs/${jobId}`)).json).toMatchObject({ state: 'failed' });
  });

  async function upload(data: ReturnType<typeof csvDataset>) {
    const created = await invoke('POST', '/v1/datasets', {
      body: { sha256: data.sha256, bytes: data.bytes.byteLength },
    });
    const put = await fetch(created.json.upload.url, {
      method: 'PUT',
      headers: created.json.upload.headers,
      body: data.bytes,
    });
    expect(put.status).toBe(200);
  }

  it('writes each request as a bare JSON line on stdout with the method, route pattern and status the metric filters read', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let answers: number[];
    try {
      const move = await invoke('PUT', '/v1/aliases/metrics-line', {
        body: { manifestId: 'f'.repeat(64), reason: 'log line' },
      });
      const rollback = await invoke('POST', '/v1/aliases/metrics-line/rollback', { body: { reason: 'r' } });
      answers = [move.statusCode, rollback.statusCode];
    } finally {
      spy.mockRestore();
    }
    // lib/vault-observability.ts filters on exactly these fields and route patterns.
    const lines = written.filter((text) => text.startsWith('{')).map((text) => JSON.parse(text));
    expect(lines.map(({ method, route, status }) => ({ method, route, status }))).toEqual([
      { method: 'PUT', route: '/v1/aliases/:name', status: answers[0] },
      { method: 'POST', route: '/v1/aliases/:name/rollback', status: answers[1] },
    ]);
    expect(answers.every((status) => status >= 400 && status < 500)).toBe(true);
  });

  it('refuses a request without an IAM identity', async () => {
    const answer = await invoke('GET', '/v1/aliases', { userArn: null });
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['content-type']).toBe('application/problem+json');
  });

  it('registers, uploads to S3, freezes through the worker, downloads and aliases as the IAM caller', async () => {
    const data = csvDataset(200, 6);
    const created = await invoke('POST', '/v1/datasets', {
      body: { sha256: data.sha256, bytes: data.bytes.byteLength },
    });
    expect(created.statusCode).toBe(201);
    const put = await fetch(created.json.upload.url, {
      method: 'PUT',
      headers: created.json.upload.headers,
      body: data.bytes,
    });
    expect(put.status).toBe(200);

    const frozen = await invoke('POST', '/v1/splits?wait=30', {
      body: { dataset: data.sha256, spec: RANDOM_SPEC },
    });
    expect(frozen.statusCode).toBe(201);
    expect(lambda.invocations.at(-1)).toMatchObject({
      functionName: 'splitvault-worker',
      invocationType: 'Event',
    });
    const manifest = frozen.json.manifest;

    const info = await invoke('GET', `/v1/splits/${manifest.id}/validation`, {
      headers: { accept: 'application/json' },
    });
    const bytes = new Uint8Array(await (await fetch(info.json.url)).arrayBuffer());
    expect(sha256Of(bytes)).toBe(manifest.splits.validation.sha256);
    expect(tableFromIPC(bytes).numRows).toBe(manifest.splits.validation.rows);
    const redirect = await invoke('GET', `/v1/splits/${manifest.id}/test`);
    expect(redirect.statusCode).toBe(307);

    const alias = await invoke('PUT', '/v1/aliases/prod', {
      body: { manifestId: manifest.id, reason: 'ship' },
    });
    expect(alias.json).toMatchObject({ revision: 1, updatedBy: CALLER_ARN });
    const audit = await invoke('GET', '/v1/audit?action=alias.set');
    expect(audit.json.items[0]).toMatchObject({ actor: CALLER_ARN, reason: 'ship' });
    const events = await invoke('GET', `/v1/splits/${manifest.id}`);
    expect(events.json.freezeEvents[0]).toMatchObject({
      actor: CALLER_ARN,
      service: { service: 'splitvault' },
    });
  });
});
