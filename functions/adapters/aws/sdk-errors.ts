/**
 * Turns AWS SDK failures that mean "the backend can't serve us right now" into
 * BackendUnavailableError. The SDK has already retried these by the time we see them.
 * DynamoDB's 400 KB item limit becomes a typed 413 (RECORD.TOO_LARGE), so a record that can't
 * be written fails a request or a job with a cause instead of an unknown error. Anything else
 * is a bug in our request and is rethrown untouched.
 */
import { BackendUnavailableError, TooLargeError } from '../../core/errors.js';

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalError',
  'TimeoutError',
  'RequestTimeout',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

interface SdkErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function isUnavailable(error: unknown): boolean {
  const shape = (error ?? {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode ?? 0;
  return THROTTLING.has(shape.name ?? '') || NETWORK.has(shape.code ?? '') || status >= 500;
}

/** Rethrows `error`, as BackendUnavailableError when it is an outage or throttling. */
export function rethrowSdkError(error: unknown, doing: string): never {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  if (name === 'ValidationException' && /item size/i.test(message ?? '')) {
    throw new TooLargeError(
      'RECORD.TOO_LARGE',
      `${doing} failed: the record is over DynamoDB's 400 KB item limit`,
      {
        cause: error,
      },
    );
  }
  if (isUnavailable(error)) {
    throw new BackendUnavailableError(`${doing} failed: the backend is unavailable or throttling`, {
      cause: error,
    });
  }
  throw error;
}
