import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../functions/core/errors.js';
import {
  executionArnOf,
  StepFunctionsDispatcher,
} from '../../functions/handlers/step-functions-dispatcher.js';
import type { Job } from '../../schemas/records.js';
import { FAKE_CREDENTIALS, FAKE_REGION } from './support/fake-lambda.js';
import { type FakeStepFunctions, startFakeStepFunctions } from './support/fake-step-functions.js';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:SplitVaultFreezeMachine';
const job = (id: string) => ({ id, kind: 'freeze' }) as Job;

describe('the Step Functions dispatcher', () => {
  let sfn: FakeStepFunctions;
  beforeAll(async () => {
    sfn = await startFakeStepFunctions();
  });
  afterAll(() => sfn.close());

  const dispatcher = (credentials = FAKE_CREDENTIALS, maxAttempts = 3) =>
    new StepFunctionsDispatcher({
      stateMachineArn: MACHINE,
      region: FAKE_REGION,
      credentials: async () => credentials,
      endpoint: sfn.endpoint,
      maxAttempts,
    });

  it('sends a SigV4-signed StartExecution named by the job id, carrying only the job id', async () => {
    await dispatcher().dispatch(job('job-1'));
    expect(sfn.started.at(-1)).toEqual({
      stateMachineArn: MACHINE,
      name: 'job-1',
      input: { jobId: 'job-1' },
    });
  });

  it('knows the execution ARN before the start, the one Step Functions gives it', () => {
    expect(dispatcher().executionArn('job-1')).toBe(
      'arn:aws:states:us-east-1:123456789012:execution:SplitVaultFreezeMachine:job-1',
    );
    expect(executionArnOf('arn:aws-cn:states:cn-north-1:1:stateMachine:M', 'j')).toBe(
      'arn:aws-cn:states:cn-north-1:1:execution:M:j',
    );
  });

  it('refuses an ARN that names no state machine', () => {
    expect(() => executionArnOf('arn:aws:lambda:us-east-1:1:function:f', 'j')).toThrow(
      /not a state machine ARN/,
    );
  });

  it('starts one execution when the answer to the first start is lost and the dispatch tries again', async () => {
    sfn.dropNextAnswer = true;
    await dispatcher().dispatch(job('job-lost'));
    expect(sfn.started.filter((s) => s.name === 'job-lost')).toHaveLength(1);
  });

  it('counts an execution that already exists under the job id as started, and starts no other', async () => {
    sfn.started.push({
      stateMachineArn: MACHINE,
      name: 'job-ran',
      input: { jobId: 'job-ran', earlier: true },
    });
    await dispatcher().dispatch(job('job-ran'));
    expect(sfn.started.filter((s) => s.name === 'job-ran')).toHaveLength(1);
  });

  it('tries again after throttling (a 400 ThrottlingException) and a server error, then succeeds', async () => {
    sfn.failures.push(
      { status: 400, type: 'ThrottlingException' },
      { status: 503, type: 'ServiceUnavailable' },
    );
    await dispatcher().dispatch(job('job-2'));
    expect(sfn.failures).toEqual([]);
    expect(sfn.started.at(-1)?.name).toBe('job-2');
  });

  it('gives up on a refusal at once, reporting the backend unavailable with the answer', async () => {
    sfn.failures.push({ status: 400, type: 'com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist' });
    const failed = dispatcher().dispatch(job('job-3'));
    await expect(failed).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(failed).rejects.toThrow(/job-3: Step Functions answered 400 StateMachineDoesNotExist/);
    expect(sfn.failures).toEqual([]);
    expect(sfn.started.some((s) => s.name === 'job-3')).toBe(false);
  });

  it('is refused with credentials the service does not know', async () => {
    const wrong = { accessKeyId: 'AKIAFAKELAMBDA', secretAccessKey: 'not-the-secret' };
    await expect(dispatcher(wrong).dispatch(job('job-4'))).rejects.toThrow(/400 InvalidSignatureException/);
  });

  it('reports the backend unavailable when nothing listens at the endpoint', async () => {
    const closed = await startFakeStepFunctions();
    await closed.close();
    const failed = new StepFunctionsDispatcher({
      stateMachineArn: MACHINE,
      region: FAKE_REGION,
      credentials: async () => FAKE_CREDENTIALS,
      endpoint: closed.endpoint,
      maxAttempts: 1,
    }).dispatch(job('job-5'));
    await expect(failed).rejects.toThrow(/could not start job job-5: Step Functions did not answer/);
  });
});
