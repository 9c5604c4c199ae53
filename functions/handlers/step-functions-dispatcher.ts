import { partition } from '@aws-sdk/core/client';
import { Sha256Node } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Job } from '../../schemas/records.js';
import type { JobDispatcher } from '../api/deps.js';
import { BackendUnavailableError } from '../core/errors.js';
import { errorTypeOf, type InvokeFailure, readText } from './lambda-dispatcher.js';

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
 * 1.0 protocol), rather than through @aws-sdk/client-sfn, whose whole-API schemas would weigh
 * on the API bundle; signing, the HTTP handler and the retry policy are the SDK's own, as in
 * LambdaDispatcher. The execution is named by the job id: Step Functions starts at most one
 * execution of a name, so a dispatch retried after a lost answer can't start a second run.
 */
export class StepFunctionsDispatcher implements JobDispatcher {
  readonly #url: URL;
  readonly #stateMachineArn: string;
  readonly #signer: SignatureV4;
  readonly #http = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });
  readonly #retry: StandardRetryStrategy;

  constructor(options: StepFunctionsDispatcherOptions) {
    const endpoint =
      options.endpoint ?? `https://states.${options.region}.${partition(options.region).dnsSuffix}`;
    this.#url = new URL('/', endpoint);
    this.#stateMachineArn = options.stateMachineArn;
    this.#signer = new SignatureV4({
      service: 'states',
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256Node,
    });
    this.#retry = new StandardRetryStrategy(options.maxAttempts ?? 3);
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
    let token = await this.#retry.acquireInitialRetryToken('states:start-execution');
    for (;;) {
      const failure = await this.#start(body);
      if (!failure) {
        this.#retry.recordSuccess(token);
        return;
      }
      try {
        token = await this.#retry.refreshRetryTokenForRetry(token, { errorType: failure.errorType });
      } catch {
        throw new BackendUnavailableError(`could not start job ${job.id}: ${failure.message}`, {
          cause: failure.cause,
        });
      }
    }
  }

  /** One signed StartExecution; undefined when the execution runs (started now or before). */
  async #start(body: string): Promise<InvokeFailure | undefined> {
    const url = this.#url;
    const request = new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': 'AWSStepFunctions.StartExecution',
      },
      body,
    });
    try {
      const { response } = await this.#http.handle((await this.#signer.sign(request)) as HttpRequest);
      const text = await readText(response.body as AsyncIterable<Uint8Array> | undefined);
      if (response.statusCode === 200) return undefined;
      const type = errorNameOf(response.headers['x-amzn-errortype'], text);
      // An execution of this name exists: an earlier attempt started it, and it ran or runs the job.
      if (type === 'ExecutionAlreadyExists') return undefined;
      return {
        errorType: type === 'ThrottlingException' ? 'THROTTLING' : errorTypeOf(response.statusCode),
        message: `Step Functions answered ${response.statusCode} ${type} ${text.slice(0, 200)}`.trim(),
      };
    } catch (cause) {
      return { errorType: 'TRANSIENT', message: `Step Functions did not answer: ${String(cause)}`, cause };
    }
  }
}

/**
 * The error's short name: AWS JSON 1.0 puts it in x-amzn-errortype or the body's __type, either
 * possibly prefixed by a namespace (`com.amazonaws…#Name`) or suffixed by a URL (`Name:http…`).
 */
function errorNameOf(header: string | undefined, text: string): string {
  let raw = header;
  if (!raw) {
    try {
      raw = (JSON.parse(text) as { __type?: string }).__type;
    } catch {
      raw = undefined;
    }
  }
  return (raw ?? 'unknown error').split(':')[0]!.split('#').at(-1)!;
}
