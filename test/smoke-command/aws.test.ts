import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHandler } from '../../functions/handlers/lambda.js';
import { LambdaDispatcher } from '../../functions/handlers/lambda-dispatcher.js';
import { createWorkerHandler, workerDepsFromConfig } from '../../functions/handlers/worker.js';
import {
  FAKE_CREDENTIALS,
  FAKE_REGION,
  type FakeLambda,
  startFakeLambda,
} from '../api/support/fake-lambda.js';
import { API_ID } from '../api/support/gateway-event.js';
import { freshAwsConfig, requireEmulators } from '../conformance/emulator-env.js';
import { type GatewayFront, startGatewayFront } from './api-gateway-front.js';
import { runCliInProcess } from './run-cli.js';

/**
 * The smoke command against the AWS handlers on versitygw + moto: API Lambda behind a local
 * stand-in for API Gateway's IAM authorization, worker Lambda behind a stand-in for Lambda's
 * Invoke API, both signature-checked. Run with: bash scripts/with-emulators.sh npx vitest run <file>
 */
describe('splitvault smoke against the AWS handlers on the emulators', () => {
  const env = requireEmulators();
  let lambda: FakeLambda;
  let front: GatewayFront;

  beforeAll(async () => {
    const config = await freshAwsConfig('smoke', {
      SPLITVAULT_WORKER_FUNCTION: 'smoke-worker',
      SPLITVAULT_API_ID: API_ID,
    });
    const worker = createWorkerHandler(await workerDepsFromConfig(config));
    lambda = await startFakeLambda((payload) => void worker(payload));
    const handler = await createLambdaHandler({
      config,
      jobs: new LambdaDispatcher({
        functionName: 'smoke-worker',
        region: FAKE_REGION,
        credentials: async () => FAKE_CREDENTIALS,
        endpoint: lambda.endpoint,
      }),
    });
    front = await startGatewayFront(handler, {
      region: env.AWS_REGION,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    });
  });
  afterAll(async () => {
    await front?.close();
    await lambda?.close();
  });

  it('passes every step with SigV4, including the refusal of an unsigned request', async () => {
    const run = await runCliInProcess(['smoke', '--url', front.url, '--aws', '--json'], process.env);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      steps: { name: string; status: string; detail?: string }[];
    };
    expect(report.steps.filter((step) => step.status !== 'ok')).toEqual([]);
    expect(report.steps.find((step) => step.name === 'unsigned refused')?.detail).toBe('403');
    expect(run.code).toBe(0);
    expect(lambda.invocations.map((invocation) => invocation.invocationType)).toEqual([
      'Event',
      'Event',
      'Event',
    ]);
  });
});
