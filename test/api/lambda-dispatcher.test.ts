import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../functions/core/errors.js';
import { LambdaDispatcher } from '../../functions/handlers/lambda-dispatcher.js';
import type { Job } from '../../schemas/records.js';
import { FAKE_CREDENTIALS, FAKE_REGION, type FakeLambda, startFakeLambda } from './support/fake-lambda.js';

const job = (id: string) => ({ id }) as Job;

describe('the Lambda dispatcher', () => {
  let lambda: FakeLambda;
  beforeAll(async () => {
    lambda = await startFakeLambda();
  });
  afterAll(() => lambda.close());

  const dispatcher = (credentials = FAKE_CREDENTIALS, functionName = 'splitvault-worker') =>
    new LambdaDispatcher({
      functionName,
      region: FAKE_REGION,
      credentials: async () => credentials,
      endpoint: lambda.endpoint,
    });

  it('sends a SigV4-signed asynchronous Invoke carrying only the job id', async () => {
    await dispatcher().dispatch(job('job-1'));
    expect(lambda.invocations.at(-1)).toEqual({
      functionName: 'splitvault-worker',
      invocationType: 'Event',
      payload: { jobId: 'job-1' },
    });
  });

  it('addresses a worker given by ARN, whose colons must be escaped in the path', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:splitvault-worker';
    await dispatcher(FAKE_CREDENTIALS, arn).dispatch(job('job-arn'));
    expect(lambda.invocations.at(-1)?.functionName).toBe(arn);
  });

  it('tries again after throttling and a server error, then succeeds', async () => {
    lambda.failures.push(429, 503);
    await dispatcher().dispatch(job('job-2'));
    expect(lambda.failures).toEqual([]);
    expect(lambda.invocations.at(-1)?.payload).toEqual({ jobId: 'job-2' });
  });

  it("reports the backend unavailable, with Lambda's answer, when the call is refused", async () => {
    const wrong = { accessKeyId: 'AKIAFAKELAMBDA', secretAccessKey: 'not-the-secret' };
    const failed = dispatcher(wrong).dispatch(job('job-3'));
    await expect(failed).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(failed).rejects.toThrow(/job-3: Lambda answered 403 InvalidSignatureException/);
  });

  it('reports the backend unavailable when nothing listens at the endpoint', async () => {
    const closed = await startFakeLambda();
    await closed.close();
    const failed = new LambdaDispatcher({
      functionName: 'w',
      region: FAKE_REGION,
      credentials: async () => FAKE_CREDENTIALS,
      endpoint: closed.endpoint,
      maxAttempts: 1,
    }).dispatch(job('job-4'));
    await expect(failed).rejects.toThrow(/could not start job job-4: Lambda did not answer/);
  });
});
