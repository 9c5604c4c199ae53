import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredLeakage } from '../../functions/adapters/common/stored-leakage.js';
import { createApp } from '../../functions/api/app.js';
import { tokenAuthenticator } from '../../functions/api/auth/token-authenticator.js';
import { createEmbeddedBackend } from '../../functions/handlers/embedded-backend.js';
import {
  FreezeRoutingDispatcher,
  runsOnMachine,
} from '../../functions/handlers/freeze-routing-dispatcher.js';
import { StepFunctionsDispatcher } from '../../functions/handlers/step-functions-dispatcher.js';
import type { Job } from '../../schemas/records.js';
import { call, uploadDataset } from './support/client.js';
import { csvDataset, RANDOM_SPEC } from './support/dataset.js';
import { FAKE_CREDENTIALS, FAKE_REGION } from './support/fake-lambda.js';
import { type FakeStepFunctions, startFakeStepFunctions } from './support/fake-step-functions.js';
import { type ApiHarness, TOKENS } from './support/harness.js';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:SplitVaultFreezeMachine';
const SMALL = csvDataset(20);
const BIG = csvDataset(200);
/** Between the two datasets' sizes, as the construct sets it from the worker's memory. */
const THRESHOLD = Math.floor((SMALL.bytes.byteLength + BIG.bytes.byteLength) / 2);

describe('where the API sends a freeze', () => {
  let sfn: FakeStepFunctions;
  let dir: string;
  let h: ApiHarness;
  const workerJobs: string[] = [];
  beforeAll(async () => {
    sfn = await startFakeStepFunctions();
    dir = await mkdtemp(join(tmpdir(), 'splitvault-routing-'));
    const stores = await createEmbeddedBackend({ dataDir: dir, publicBaseUrl: 'http://splitvault.test' });
    const jobs = new FreezeRoutingDispatcher({
      worker: { dispatch: async (job) => void workerJobs.push(job.id) },
      machine: new StepFunctionsDispatcher({
        stateMachineArn: MACHINE,
        region: FAKE_REGION,
        credentials: async () => FAKE_CREDENTIALS,
        endpoint: sfn.endpoint,
      }),
      shardedFreezeBytes: THRESHOLD,
    });
    const app = createApp({
      version: '0.0.0-test',
      ...stores,
      leakage: new StoredLeakage(stores.blobs, stores.lineage),
      jobs,
      authenticator: tokenAuthenticator({
        [TOKENS.admin]: { actor: 'root', roles: ['reader', 'writer', 'deployer'] },
      }),
      presignSeconds: 900,
      log: () => undefined,
    });
    h = {
      backend: 'embedded',
      app,
      ...stores,
      logs: [],
      fetchPresigned: (url, init) => Promise.resolve(app.request(url, init)),
      close: async () => {
        stores.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
    await uploadDataset(h, SMALL);
    await uploadDataset(h, BIG);
  });
  afterAll(async () => {
    await h.close();
    await sfn.close();
  });

  it('starts the state machine for a dataset past the threshold, and the job links the execution', async () => {
    const answer = await call(h, 'POST', '/v1/splits', { body: { dataset: BIG.sha256, spec: RANDOM_SPEC } });
    expect(answer.status).toBe(202);
    const job = answer.json.job as Job;
    const executionArn = `arn:aws:states:us-east-1:123456789012:execution:SplitVaultFreezeMachine:${job.id}`;
    expect(job.executionArn).toBe(executionArn);
    expect(sfn.started).toContainEqual({ stateMachineArn: MACHINE, name: job.id, input: { jobId: job.id } });
    expect(workerJobs).not.toContain(job.id);
    const read = await call(h, 'GET', `/v1/jobs/${job.id}`);
    expect(read.status).toBe(200);
    expect(read.json.executionArn).toBe(executionArn);
    expect(read.json.state).toBe('queued');
  });

  it('hands a dataset within the threshold to the worker, and the job links no execution', async () => {
    const answer = await call(h, 'POST', '/v1/splits', {
      body: { dataset: SMALL.sha256, spec: RANDOM_SPEC },
    });
    expect(answer.status).toBe(202);
    const job = answer.json.job as Job;
    expect(job).not.toHaveProperty('executionArn');
    expect(workerJobs).toContain(job.id);
    expect(sfn.started.some((s) => s.name === job.id)).toBe(false);
    expect((await call(h, 'GET', `/v1/jobs/${job.id}`)).json).not.toHaveProperty('executionArn');
  });

  it('answers 503 and starts nothing when the machine refuses the start', async () => {
    const before = sfn.started.length;
    sfn.failures.push({ status: 400, type: 'AccessDeniedException' });
    const answer = await call(h, 'POST', '/v1/splits', { body: { dataset: BIG.sha256, spec: RANDOM_SPEC } });
    expect(answer.status).toBe(503);
    expect(answer.json.code).toBe('BACKEND.UNAVAILABLE');
    expect(sfn.started).toHaveLength(before);
  });
});

describe('the routing rule', () => {
  const job = (kind: Job['kind']) => ({ id: 'j', kind }) as Job;
  it.each([
    ['a freeze one byte past the threshold', true, job('freeze'), { datasetBytes: 101 }],
    ['a freeze at the threshold', false, job('freeze'), { datasetBytes: 100 }],
    ['a freeze whose size is not known', false, job('freeze'), {}],
    ['a verify of a big dataset', false, job('verify'), { datasetBytes: 10 ** 12 }],
  ] as const)('sends %s to the machine: %s', (_name, expected, subject, facts) => {
    expect(runsOnMachine(subject, facts, 100)).toBe(expected);
  });
});
