import { Sha256Node } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, RetryErrorType } from '@smithy/types';
import { BackendUnavailableError } from '../core/errors.js';

export interface SignedCallOptions {
  /** The SigV4 service name (`lambda`, `states`) and what messages call it (`Lambda`). */
  readonly service: string;
  readonly serviceLabel: string;
  readonly url: URL;
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** Attempts per call, throttling and 5xx answers included. @default 3 */
  readonly maxAttempts?: number;
}

/** What the service answered: its status, error type (x-amzn-errortype or `__type`) and body. */
export interface SignedAnswer {
  readonly status: number;
  readonly errorName: string | undefined;
  readonly text: string;
}

/** A call that did not succeed, classified for the retry strategy. */
interface CallFailure {
  readonly errorType: RetryErrorType;
  readonly message: string;
  readonly cause?: unknown;
}

/**
 * One AWS API call made with the SDK's own SigV4 signer, HTTP handler and standard retry
 * policy, without a service client: the clients' whole-API schemas and error classes would
 * weigh on the API bundle (~70 KB for Lambda's), for the single operation it needs of each.
 */
export class SignedCall {
  readonly #options: SignedCallOptions;
  readonly #signer: SignatureV4;
  readonly #http = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });
  readonly #retry: StandardRetryStrategy;

  constructor(options: SignedCallOptions) {
    this.#options = options;
    this.#signer = new SignatureV4({
      service: options.service,
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256Node,
    });
    this.#retry = new StandardRetryStrategy(options.maxAttempts ?? 3);
  }

  /**
   * POSTs `body` until `accepted` takes an answer, retrying throttling and transient failures;
   * throws BackendUnavailableError naming `what` when it gives up.
   */
  async post(
    what: string,
    body: string,
    headers: Record<string, string>,
    accepted: (answer: SignedAnswer) => boolean,
  ): Promise<void> {
    let token = await this.#retry.acquireInitialRetryToken(this.#options.service);
    for (;;) {
      const failure = await this.#attempt(body, headers, accepted);
      if (!failure) {
        this.#retry.recordSuccess(token);
        return;
      }
      try {
        // Waits out the backoff itself before handing back the next token.
        token = await this.#retry.refreshRetryTokenForRetry(token, { errorType: failure.errorType });
      } catch {
        throw new BackendUnavailableError(`could not ${what}: ${failure.message}`, { cause: failure.cause });
      }
    }
  }

  async #attempt(
    body: string,
    headers: Record<string, string>,
    accepted: (answer: SignedAnswer) => boolean,
  ): Promise<CallFailure | undefined> {
    const { url, serviceLabel } = this.#options;
    const request = new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: { host: url.host, 'content-length': String(Buffer.byteLength(body)), ...headers },
      body,
    });
    try {
      const { response } = await this.#http.handle((await this.#signer.sign(request)) as HttpRequest);
      const text = await readText(response.body as AsyncIterable<Uint8Array> | undefined);
      const answer = {
        status: response.statusCode,
        errorName: errorNameOf(response.headers['x-amzn-errortype'], text),
        text,
      };
      if (accepted(answer)) return undefined;
      return {
        errorType: errorTypeOf(answer),
        message:
          `${serviceLabel} answered ${answer.status} ${answer.errorName ?? 'unknown error'} ${text.slice(0, 200)}`.trim(),
      };
    } catch (cause) {
      return { errorType: 'TRANSIENT', message: `${serviceLabel} did not answer: ${String(cause)}`, cause };
    }
  }
}

/**
 * The SDK's classification: throttling (429, or a 400 ThrottlingException under the AWS JSON
 * protocol) and the transient 5xx are retried, any other 4xx (denied, no such resource) is not.
 */
function errorTypeOf(answer: SignedAnswer): RetryErrorType {
  if (answer.status === 429 || answer.errorName === 'ThrottlingException') return 'THROTTLING';
  if (TRANSIENT_STATUS.has(answer.status)) return 'TRANSIENT';
  return answer.status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR';
}

const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);

/**
 * The error's short name, from x-amzn-errortype or the JSON body's __type, either possibly
 * prefixed by a namespace (`com.amazonaws…#Name`) or suffixed by a URL (`Name:http…`).
 */
function errorNameOf(header: string | undefined, text: string): string | undefined {
  let raw = header;
  if (!raw && text.startsWith('{')) {
    try {
      raw = (JSON.parse(text) as { __type?: string }).__type;
    } catch {
      raw = undefined;
    }
  }
  return raw?.split(':')[0]?.split('#').at(-1);
}

/** The Node handler answers with an IncomingMessage; read it through so the socket is reused. */
async function readText(body: AsyncIterable<Uint8Array> | undefined): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body ?? []) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
