import { partition } from '@aws-sdk/core/client';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Job } from '../../schemas/records.js';
import type { JobDispatcher } from '../api/deps.js';
import { SignedCall } from './signed-call.js';

export interface StepFunctionsDispatcherOptions {
  /** The freeze state machine. */
  readonly stateMachineArn: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** @default https://states.<region>.<partition DNS suffix> */
  readonly endpoint?: string;
  /** Attempts per dispatch, throttling and 5xx answers included. @default 3 */
  readonly maxAttempts?: number;
}

/** The execution input: the job itself (and its input) is in the table. */
export interface FreezeExecutionInput {
  readonly jobId: string;
}

/**
 * The ARN Step Functions gives the execution of `stateMachineArn` named `name`
 * (arn:…:states:region:account:execution:machine:name), known before it starts, so the job
 * record can link it from its first write.
 */
export function executionArnOf(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length !== 7 || parts[2] !== 'states' || parts[5] !== 'stateMachine') {
    throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  }
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
}

/**
 * Starts the freeze state machine for a job with one signed StartExecution call (the AWS JSON
 * 1.0 protocol, through SignedCall) rather than through @aws-sdk/client-sfn, whose whole-API
 * schemas would weigh on the API bundle. The execution is named by the job id: Step Functions
 * starts at most one execution of a name, so a dispatch retried after a lost answer can't start
 * a second run.
 */
export class StepFunctionsDispatcher implements JobDispatcher {
  readonly #stateMachineArn: string;
  readonly #call: SignedCall;

  constructor(options: StepFunctionsDispatcherOptions) {
    const endpoint =
      options.endpoint ?? `https://states.${options.region}.${partition(options.region).dnsSuffix}`;
    this.#stateMachineArn = options.stateMachineArn;
    this.#call = new SignedCall({
      service: 'states',
      serviceLabel: 'Step Functions',
      url: new URL('/', endpoint),
      region: options.region,
      credentials: options.credentials,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    });
  }

  /** The execution this dispatcher starts for a job. */
  executionArn(jobId: string): string {
    return executionArnOf(this.#stateMachineArn, jobId);
  }

  async dispatch(job: Job): Promise<void> {
    const input: FreezeExecutionInput = { jobId: job.id };
    const body = JSON.stringify({
      stateMachineArn: this.#stateMachineArn,
      name: job.id,
      input: JSON.stringify(input),
    });
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AWSStepFunctions.StartExecution',
    };
    // An execution of this name that already exists was started by an earlier attempt, and ran
    // or runs the job: the dispatch is done either way.
    await this.#call.post(
      `start job ${job.id}`,
      body,
      headers,
      (a) => a.status === 200 || a.errorName === 'ExecutionAlreadyExists',
    );
  }
}
