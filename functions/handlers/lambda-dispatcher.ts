import { partition } from '@aws-sdk/core/client';
import { Sha256Node } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, RetryErrorType } from '@smithy/types';
import type { Job } from '../../schemas/records.js';
import type { JobDispatcher } from '../api/deps.js';
import { BackendUnavailableError } from '../core/errors.js';

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
 * It sends the one signed Invoke call itself rather than through @aws-sdk/client-lambda,
 * whose schemas and error classes for the whole Lambda API cost the API bundle ~70 KB;
 * signing, the HTTP handler and the retry policy are the SDK's own, already in the bundle.
 */
export class LambdaDispatcher implements JobDispatcher {
  readonly #url: URL;
  readonly #signer: SignatureV4;
  readonly #http = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });
  readonly #retry: StandardRetryStrategy;

  constructor(options: LambdaDispatcherOptions) {
    const endpoint =
      options.endpoint ?? `https://lambda.${options.region}.${partition(options.region).dnsSuffix}`;
    const name = encodeURIComponent(options.functionName);
    this.#url = new URL(`/2015-03-31/functions/${name}/invocations`, endpoint);
    this.#signer = new SignatureV4({
      service: 'lambda',
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256Node,
    });
    this.#retry = new StandardRetryStrategy(options.maxAttempts ?? 3);
  }

  async dispatch(job: Job): Promise<void> {
    const event: WorkerEvent = { jobId: job.id };
    const body = JSON.stringify(event);
    let token = await this.#retry.acquireInitialRetryToken('lambda:invoke');
    for (;;) {
      const failure = await this.#invoke(body);
      if (!failure) {
        this.#retry.recordSuccess(token);
        return;
      }
      try {
        // Waits out the backoff itself before handing back the next token.
        token = await this.#retry.refreshRetryTokenForRetry(token, { errorType: failure.errorType });
      } catch {
        throw new BackendUnavailableError(`could not start job ${job.id}: ${failure.message}`, {
          cause: failure.cause,
        });
      }
    }
  }

  /** One signed Invoke; undefined when Lambda queued the event (202). */
  async #invoke(body: string): Promise<InvokeFailure | undefined> {
    const url = this.#url;
    const request = new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: {
        host: url.host,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-invocation-type': 'Event',
      },
      body,
    });
    try {
      const { response } = await this.#http.handle((await this.#signer.sign(request)) as HttpRequest);
      const text = await readText(response.body as AsyncIterable<Uint8Array> | undefined);
      if (response.statusCode === 202) return undefined;
      const type = response.headers['x-amzn-errortype']?.split(':')[0] ?? 'unknown error';
      return {
        errorType: errorTypeOf(response.statusCode),
        message: `Lambda answered ${response.statusCode} ${type} ${text.slice(0, 200)}`.trim(),
      };
    } catch (cause) {
      return { errorType: 'TRANSIENT', message: `Lambda did not answer: ${String(cause)}`, cause };
    }
  }
}

/** A call that did not succeed, classified for the retry strategy. */
export interface InvokeFailure {
  readonly errorType: RetryErrorType;
  readonly message: string;
  readonly cause?: unknown;
}

/** The SDK's classification: throttling and the transient 5xx are retried, a 4xx (denied, no such function) is not. */
export function errorTypeOf(status: number): RetryErrorType {
  if (status === 429) return 'THROTTLING';
  if (TRANSIENT_STATUS.has(status)) return 'TRANSIENT';
  return status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR';
}

const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

/** The Node handler answers with an IncomingMessage; read it through so the socket is reused. */
export async function readText(body: AsyncIterable<Uint8Array> | undefined): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body ?? []) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
