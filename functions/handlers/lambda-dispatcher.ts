import { partition } from '@aws-sdk/core/client';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Job } from '../../schemas/records.js';
import type { JobDispatcher } from '../api/deps.js';
import { SignedCall } from './signed-call.js';

/** The event the API sends the worker; the job itself (and its input) is in the table. */
export interface WorkerEvent {
  readonly jobId: string;
}

export interface LambdaDispatcherOptions {
  readonly functionName: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** @default https://lambda.<region>.<partition DNS suffix> */
  readonly endpoint?: string;
  /** Attempts per dispatch, throttling and 5xx answers included. @default 3 */
  readonly maxAttempts?: number;
}

/**
 * Starts the worker Lambda asynchronously ('Event'): the API answers 202 without waiting.
 * It sends the one signed Invoke call itself (SignedCall) rather than through
 * @aws-sdk/client-lambda, whose schemas and error classes for the whole Lambda API cost the API
 * bundle ~70 KB; signing, the HTTP handler and the retry policy are the SDK's own.
 */
export class LambdaDispatcher implements JobDispatcher {
  readonly #call: SignedCall;

  constructor(options: LambdaDispatcherOptions) {
    const endpoint =
      options.endpoint ?? `https://lambda.${options.region}.${partition(options.region).dnsSuffix}`;
    const name = encodeURIComponent(options.functionName);
    this.#call = new SignedCall({
      service: 'lambda',
      serviceLabel: 'Lambda',
      url: new URL(`/2015-03-31/functions/${name}/invocations`, endpoint),
      region: options.region,
      credentials: options.credentials,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    });
  }

  async dispatch(job: Job): Promise<void> {
    const event: WorkerEvent = { jobId: job.id };
    const headers = { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' };
    // 202: Lambda queued the event.
    await this.#call.post(`start job ${job.id}`, JSON.stringify(event), headers, (a) => a.status === 202);
  }
}
